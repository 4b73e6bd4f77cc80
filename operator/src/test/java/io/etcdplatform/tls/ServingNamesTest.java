package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.kube.ClusterNames;
import org.junit.jupiter.api.Test;

class ServingNamesTest {

  @Test
  void everyNameAMemberIsDialledByIsCoveredWithAndWithoutTheClusterDomain() {
    assertThat(ServingNames.dnsNames("main", "prod", "cluster.local")).containsExactlyInAnyOrder(
        "*.main-peer.prod.svc", "*.main-peer.prod.svc.cluster.local",
        "main-client", "main-client.prod", "main-client.prod.svc", "main-client.prod.svc.cluster.local",
        "localhost");
    assertThat(ServingNames.ipAddresses()).containsExactly("127.0.0.1", "::1");
  }

  @Test
  void theWildcardCoversEveryMemberHostAsOneLabel() {
    String member = ClusterNames.memberHost("main", "prod", "main-4");
    String wildcard = ServingNames.dnsNames("main", "prod", "cluster.local").get(0);
    assertThat(member.substring(member.indexOf('.'))).isEqualTo(wildcard.substring(1));
    assertThat(member.substring(0, member.indexOf('.'))).doesNotContain(".");
  }
}
