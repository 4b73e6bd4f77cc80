package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PodTemplate;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;
import java.util.Optional;

/** What every pod of a cluster runs with: members, backup Jobs, restore init containers. */
public final class PodDefaults {

  /** Non-root UID/GID of the distroless etcd images, which the operator image shares. */
  public static final long ETCD_USER = 65532L;

  private PodDefaults() {}

  /** The restricted Pod Security Standard for a container: no privilege, no capability, read-only root. */
  public static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withPrivileged(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** Runs as {@link #ETCD_USER}; volumes are re-owned only when their root is not already its own. */
  public static PodSecurityContext nonRootPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(ETCD_USER)
        .withRunAsGroup(ETCD_USER)
        .withFsGroup(ETCD_USER)
        .withFsGroupChangePolicy("OnRootMismatch")
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** spec.podTemplate.imagePullSecrets, for every pod of the cluster: members and backup Jobs. */
  public static List<LocalObjectReference> imagePullSecrets(EtcdCluster cluster) {
    return Optional.ofNullable(cluster.getSpec().getPodTemplate()).map(PodTemplate::getImagePullSecrets)
        .filter(secrets -> !secrets.isEmpty()).orElse(null);
  }
}
