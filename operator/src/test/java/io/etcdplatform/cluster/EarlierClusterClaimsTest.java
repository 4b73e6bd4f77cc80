package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BootstrapSpec;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.kube.Conditions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarlierClusterClaimsTest {

  private static final String BORN = "2026-03-01T10:00:00Z";
  private static final String BEFORE = "2026-03-01T09:59:59Z";
  private static final String AFTER = "2026-03-01T10:00:01Z";

  @Test
  void memberClaimsOlderThanTheClusterAreAnEarlierClusters() {
    var claims = List.of(claim("data-orders-1", BEFORE), claim("data-orders-0", BEFORE), claim("data-orders-2", AFTER));

    assertThat(EarlierClusterClaims.of(created("orders"), claims, true))
        .containsExactly("data-orders-0", "data-orders-1");
  }

  @Test
  void claimsNewerThanTheClusterAreItsOwn() {
    var claims = List.of(claim("data-orders-0", AFTER), claim("data-orders-1", AFTER));

    assertThat(EarlierClusterClaims.of(created("orders"), claims, false)).isEmpty();
  }

  @Test
  void anEarlierClusterWithMoreMembersLeftClaimsBeyondTheReplicas() {
    var claims = List.of(claim("data-orders-0", BEFORE), claim("data-orders-12", BEFORE));

    assertThat(EarlierClusterClaims.of(created("orders"), claims, false))
        .containsExactly("data-orders-0", "data-orders-12");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"data-orders-eu-0", "data-orders", "data-orders-", "data-orders-0x", "logs-orders-0", "data-order-0",
      "backups"})
  void claimsOfOtherNamesAreNoneOfItsBusiness(String name) {
    assertThat(EarlierClusterClaims.of(created("orders"), List.of(claim(name, BEFORE)), false)).isEmpty();
  }

  @ParameterizedTest(name = "owns a StatefulSet: {0}")
  @CsvSource({"false, true", "true, false"})
  void aClaimOfTheClustersOwnSecondIsEarlierOnlyBeforeItHasAStatefulSet(boolean ownsStatefulSet, boolean earlier) {
    var claims = List.of(claim("data-orders-0", BORN));

    assertThat(EarlierClusterClaims.of(created("orders"), claims, ownsStatefulSet).isEmpty()).isEqualTo(!earlier);
  }

  @Test
  void aClaimOfTheClustersOwnSecondIsItsOwnOnceAPassObservedTheCluster() {
    EtcdCluster expanding = created("orders");
    expanding.setStatus(new EtcdClusterStatus());
    expanding.getStatus().setConditions(List.of(
        Conditions.of(Conditions.AVAILABLE, false, "NoMemberAnswers", "no member answers yet", 1)));

    assertThat(EarlierClusterClaims.of(expanding, List.of(claim("data-orders-0", BORN)), false)).isEmpty();
    assertThat(EarlierClusterClaims.of(expanding, List.of(claim("data-orders-0", BEFORE)), false))
        .containsExactly("data-orders-0");
  }

  @Test
  void aFormedClusterIsNeverAskedAbout() {
    EtcdCluster formed = created("orders");
    formed.setStatus(new EtcdClusterStatus());
    formed.getStatus().setClusterId("cdf818194e3a8c32");

    assertThat(EarlierClusterClaims.apply(formed)).isFalse();
    assertThat(EarlierClusterClaims.of(formed, List.of(claim("data-orders-0", BEFORE)), false)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"true, false", "false, true", "yes, true"})
  void onlyTheAdoptAnnotationTrueAdoptsTheClaims(String value, boolean refused) {
    EtcdCluster cluster = created("orders");
    cluster.getMetadata().setAnnotations(Map.of("etcdplatform.io/adopt-claims", value));

    assertThat(EarlierClusterClaims.apply(cluster)).isEqualTo(refused);
    assertThat(EarlierClusterClaims.of(cluster, List.of(claim("data-orders-0", BEFORE)), false).isEmpty())
        .isEqualTo(!refused);
  }

  @Test
  void theMessageNamesTheClaimsAndBothChoices() {
    String message = EarlierClusterClaims.message(created("orders"), List.of("data-orders-0", "data-orders-1"));

    assertThat(message).startsWith("PersistentVolumeClaims data-orders-0, data-orders-1 existed before this "
            + "EtcdCluster was created: they hold the data of an earlier cluster named orders, so nothing is created")
        .contains("delete them (that data is lost; the cluster starts empty)")
        .contains("adopt them with `kubectl annotate ec orders etcdplatform.io/adopt-claims=true`")
        .doesNotContain("fromBackup");
  }

  @Test
  void withABackupToRestoreTheMessageSaysAdoptingSkipsTheRestore() {
    EtcdCluster cluster = created("orders");
    cluster.getSpec().setBootstrap(new BootstrapSpec());
    cluster.getSpec().getBootstrap().setFromBackup(new BootstrapSpec.FromBackup());

    String message = EarlierClusterClaims.message(cluster, List.of("data-orders-0"));

    assertThat(message).startsWith("PersistentVolumeClaim data-orders-0 existed before")
        .contains("delete it (that data is lost; spec.bootstrap.fromBackup is then restored)")
        .contains("(the old members start on their data as it is; spec.bootstrap.fromBackup is then NOT restored)");
  }

  private static EtcdCluster created(String name) {
    EtcdCluster cluster = cluster(name, 3);
    cluster.getMetadata().setCreationTimestamp(BORN);
    return cluster;
  }

  private static PersistentVolumeClaim claim(String name, String created) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace("ns").withCreationTimestamp(created).endMetadata()
        .build();
  }
}
