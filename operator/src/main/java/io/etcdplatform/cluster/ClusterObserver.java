package io.etcdplatform.cluster;

import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.kube.ClusterHistory;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.KubernetesAccess;
import io.etcdplatform.kube.KubernetesMemberAddresses;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.MemberObserver;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Observe: the member pods from the informer cache, then etcd through the cluster's one cached
 * connection (member list, each member's status), every call with a deadline.
 */
final class ClusterObserver {

  private final EtcdConnections connections;

  ClusterObserver(EtcdConnections connections) {
    this.connections = connections;
  }

  Observed observe(ClusterPass pass, Optional<ClientTls> tls) {
    ClusterAccess access = KubernetesAccess.of(pass.cluster(), tls);
    EtcdConnection etcd = connections.forCluster(access);
    var pods = MemberPodStates.of(pass.cluster(), pass.pods(), pass.statefulSet());
    ClusterObservation observation = MemberObserver.observe(etcd, access.addresses(),
        MemberObserver.Known.pods(pods, ClusterHistory.unhealthySince(pass.cluster()), pass.now()),
        ClusterHistory.formed(pass.cluster())).withClaims(memberClaims(pass));
    if (!observation.reachable()) {
      // a client whose name resolution or connections failed backs off for up to minutes (jetcd
      // #1616): start the next pass with a fresh one
      connections.close(access.key());
    }
    return new Observed(access, etcd, observation);
  }

  /** The ordinals of the member claims that exist, from the API server (no informer watches claims). */
  private static Set<Integer> memberClaims(ClusterPass pass) {
    KubernetesMemberAddresses addresses = KubernetesMemberAddresses.of(pass.cluster());
    String prefix = DesiredStatefulSet.claimOf("");
    return pass.client().persistentVolumeClaims().inNamespace(pass.namespace())
        .withLabels(ClusterLabels.selector(pass.cluster())).list().getItems().stream()
        .map(claim -> claim.getMetadata().getName())
        .filter(name -> name.startsWith(prefix))
        .map(name -> addresses.ordinal(name.substring(prefix.length())))
        .filter(OptionalInt::isPresent)
        .map(OptionalInt::getAsInt)
        .collect(Collectors.toSet());
  }
}
