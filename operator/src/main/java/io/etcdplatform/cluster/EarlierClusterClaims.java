package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterHistory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Claims left by an earlier EtcdCluster of the same name (claims are retained on delete by
 * default): a re-created cluster must not start on them by accident, since its members would
 * serve the old data under the old etcd cluster ID and a {@code fromBackup} would be skipped.
 * Pure: the gate lists the claims and says what to do.
 */
final class EarlierClusterClaims {

  /** On the EtcdCluster, {@code "true"}: start on the claims found, with their data as it is. */
  static final String ADOPT_ANNOTATION = "etcdplatform.io/adopt-claims";
  static final String REASON = "ClaimsOfAnEarlierCluster";
  private static final Pattern ORDINAL = Pattern.compile("\\d+");

  private EarlierClusterClaims() {}

  /** Only a cluster that never formed, and whose claims were not adopted, is asked about: a formed one pays nothing. */
  static boolean apply(EtcdCluster cluster) {
    return !ClusterHistory.formed(cluster) && !adopted(cluster);
  }

  /**
   * The names (sorted) of the member claims among {@code claims} that are older than the cluster.
   * Creation times are whole seconds, so a claim of the cluster's own second counts as earlier only
   * while the operator has not applied the cluster yet: no StatefulSet of its own exists (only that
   * StatefulSet makes its claims) and no pass observed it (a StatefulSet deleted to expand the
   * claims does not make them an earlier cluster's).
   */
  static List<String> of(EtcdCluster cluster, Collection<PersistentVolumeClaim> claims, boolean ownsStatefulSet) {
    if (!apply(cluster)) {
      return List.of();
    }
    boolean applied = ownsStatefulSet || ClusterHistory.observed(cluster);
    Instant born = createdAt(cluster, Instant.MIN);
    return claims.stream()
        .filter(claim -> isMemberClaim(cluster, claim.getMetadata().getName()))
        .filter(claim -> {
          Instant created = createdAt(claim, Instant.MAX);
          return created.isBefore(born) || (created.equals(born) && !applied);
        })
        .map(claim -> claim.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** {@code data-<cluster>-<ordinal>}, any ordinal: an earlier cluster may have had more members. */
  static boolean isMemberClaim(EtcdCluster cluster, String claim) {
    String prefix = DesiredStatefulSet.claimOf(cluster.getMetadata().getName() + "-");
    return claim.startsWith(prefix) && ORDINAL.matcher(claim.substring(prefix.length())).matches();
  }

  /** What a person reads: which claims, and the two ways on. */
  static String message(EtcdCluster cluster, List<String> claims) {
    String name = cluster.getMetadata().getName();
    boolean restores = cluster.getSpec().getBootstrap() != null
        && cluster.getSpec().getBootstrap().getFromBackup() != null;
    boolean one = claims.size() == 1;
    String them = one ? "it" : "them";
    String afterDelete = restores ? "spec.bootstrap.fromBackup is then restored" : "the cluster starts empty";
    return "PersistentVolumeClaim" + (one ? " " : "s ") + String.join(", ", claims)
        + " existed before this EtcdCluster was created: " + (one ? "it holds" : "they hold")
        + " the data of an earlier cluster named " + name + ", so nothing is created. Either delete " + them
        + " (that data is lost; " + afterDelete + "), or adopt " + them + " with `kubectl annotate ec " + name + " "
        + ADOPT_ANNOTATION + "=true` (the old members start on their data as it is"
        + (restores ? "; spec.bootstrap.fromBackup is then NOT restored" : "") + ")";
  }

  private static boolean adopted(EtcdCluster cluster) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(ADOPT_ANNOTATION));
  }

  /** {@code unknown} for an object the API server has not stamped (only ever one built in memory). */
  private static Instant createdAt(HasMetadata object, Instant unknown) {
    String created = object.getMetadata().getCreationTimestamp();
    return created == null ? unknown : Instant.parse(created);
  }
}
