package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessIdentitiesTest {

  @Test
  void withoutASecurityContextTheImageUserRoot() {
    ProcessIdentity identity = ProcessIdentities.of(pod(null), container(null));

    assertThat(identity).isEqualTo(new ProcessIdentity(0, 0, List.of()));
    assertThat(identity.setpriv())
        .containsExactly("/usr/bin/setpriv", "--reuid=0", "--regid=0", "--clear-groups", "--");
  }

  @Test
  void thePodsUserGroupsAndFsGroup() {
    Pod pod = pod(new PodSecurityContextBuilder().withRunAsUser(1000L).withRunAsGroup(2000L).withFsGroup(3000L)
        .withSupplementalGroups(4000L, 3000L).build());

    ProcessIdentity identity = ProcessIdentities.of(pod, container(null));

    assertThat(identity).isEqualTo(new ProcessIdentity(1000, 2000, List.of(3000L, 4000L)));
    assertThat(identity.setpriv()).contains("--groups=3000,4000");
  }

  @Test
  void theContainerWinsOverThePod() {
    Pod pod = pod(new PodSecurityContextBuilder().withRunAsUser(1000L).withRunAsGroup(2000L).build());

    ProcessIdentity identity = ProcessIdentities.of(pod,
        container(new SecurityContextBuilder().withRunAsUser(65532L).withRunAsGroup(65533L).build()));

    assertThat(identity).isEqualTo(new ProcessIdentity(65532, 65533, List.of()));
  }

  @Test
  void aUserWithoutAGroupRunsInGroupZero() {
    ProcessIdentity identity = ProcessIdentities.of(pod(null),
        container(new SecurityContextBuilder().withRunAsUser(1000L).build()));

    assertThat(identity.gid()).isZero();
  }

  @Test
  void runAsNonRootWithUserZeroIsRefusedAsAKubeletRefusesIt() {
    Pod pod = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).build());

    assertThatThrownBy(() -> ProcessIdentities.of(pod,
        container(new SecurityContextBuilder().withRunAsUser(0L).build())))
        .isInstanceOf(ContainerConfigError.class)
        .hasMessage("container's runAsUser breaks non-root policy (pod: \"p_ns(u-1)\", container: main)");
  }

  @Test
  void runAsNonRootWithoutAUserIsRefusedForTheRootImage() {
    Pod pod = pod(null);

    assertThatThrownBy(() -> ProcessIdentities.of(pod,
        container(new SecurityContextBuilder().withRunAsNonRoot(true).build())))
        .isInstanceOf(ContainerConfigError.class)
        .hasMessage("container has runAsNonRoot and image will run as root (pod: \"p_ns(u-1)\", container: main)");
  }

  @Test
  void runAsNonRootOfThePodIsMetByTheContainersUser() {
    Pod pod = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(0L).build());

    assertThat(ProcessIdentities.of(pod, container(new SecurityContextBuilder().withRunAsUser(7L).build())).uid())
        .isEqualTo(7);
  }

  @Test
  void theContainerMayLiftThePodsRunAsNonRoot() {
    Pod pod = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).build());

    assertThat(ProcessIdentities.of(pod, container(new SecurityContextBuilder().withRunAsNonRoot(false).build())).uid())
        .isZero();
  }

  private static Pod pod(PodSecurityContext context) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-1").endMetadata()
        .withNewSpec().withSecurityContext(context).endSpec().build();
  }

  private static Container container(SecurityContext context) {
    return new ContainerBuilder().withName("main").withSecurityContext(context).build();
  }
}
