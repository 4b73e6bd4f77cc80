package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.e2e.env.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node agent beyond etcd members: a Job pod with an init container and the volume kinds pods
 * use; a pod's user, groups, fsGroup, file modes and memory limit; runAsNonRoot refused for root.
 */
class NodeAgentTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String IMAGE = "quay.io/coreos/etcd:v3.6.16";
  private static LocalCluster env;

  @BeforeAll
  static void start() throws Exception {
    env = LocalCluster.start(Path.of("target", "env-agent").toAbsolutePath());
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void runsAJobToCompletionWithItsInitContainerEnvironmentAndVolumes() throws Exception {
    env.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata()
        .addToData("greeting", "hello").build()).create();
    env.client().secrets().inNamespace("default").resource(new SecretBuilder()
        .withNewMetadata().withName("keys").endMetadata()
        .addToStringData("tls.key", "private").build()).create();
    await().atMost(TIMEOUT).until(() -> env.client().serviceAccounts().inNamespace("default").withName("default").get() != null);
    Job job = new JobBuilder()
        .withNewMetadata().withName("check").endMetadata()
        .withNewSpec().withBackoffLimit(0)
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", "check").endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .addNewInitContainer().withName("prepare").withImage(IMAGE)
                .withCommand("/usr/local/bin/etcdutl", "version").endInitContainer()
              .addNewContainer().withName("main").withImage(IMAGE)
                .withCommand("/usr/local/bin/etcdctl").withArgs("version", "--endpoints=$(TARGET)")
                .addNewEnv().withName("TARGET").withValue("http://127.0.0.1:1").endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewVolumeMount().withName("settings").withMountPath("/etc/settings").endVolumeMount()
                .addNewVolumeMount().withName("info").withMountPath("/etc/podinfo").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .addNewVolumeMount().withName("keys").withMountPath("/etc/keys").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("keys").withNewSecret().withSecretName("keys").withDefaultMode(0400)
                .endSecret().endVolume()
              .addNewVolume().withName("settings").withNewConfigMap().withName("settings").endConfigMap().endVolume()
              .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("name")
                .withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem().endDownwardAPI().endVolume()
              .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();

    env.client().batch().v1().jobs().inNamespace("default").resource(job).create();

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .alias("job succeeded; its pods: " + (Object) new Object() {
          @Override
          public String toString() {
            return env.client().pods().inNamespace("default").withLabel("app", "check").list().getItems().stream()
                .map(p -> String.valueOf(p.getStatus())).toList().toString();
          }
        })
        .until(() -> {
          var status = env.client().batch().v1().jobs().inNamespace("default").withName("check").get().getStatus();
          return status != null && status.getSucceeded() != null && status.getSucceeded() == 1;
        });
    Pod pod = env.client().pods().inNamespace("default").withLabel("app", "check").list().getItems().get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(pod.getStatus().getPodIP()).startsWith("127.");
    assertThat(pod.getStatus().getInitContainerStatuses()).singleElement()
        .satisfies(init -> assertThat(init.getState().getTerminated().getExitCode()).isZero());
    assertThat(pod.getStatus().getContainerStatuses()).singleElement()
        .satisfies(main -> assertThat(main.getState().getTerminated().getExitCode()).isZero());

    Path podDir;
    try (Stream<Path> dirs = Files.list(Path.of("target", "env-agent", "node", "pods"))) {
      podDir = dirs.filter(d -> d.getFileName().toString().startsWith("default_" + pod.getMetadata().getName())).findFirst().orElseThrow();
    }
    Path volumes = podDir.resolve("volumes");
    assertThat(volumes.resolve("settings/greeting")).hasContent("hello");
    assertThat(volumes.resolve("info/name")).hasContent(pod.getMetadata().getName());
    assertThat(mode(volumes.resolve("keys/tls.key"))).as("the Secret's defaultMode").isEqualTo(0400);
    assertThat(mode(volumes.resolve("settings/greeting"))).as("a ConfigMap's file by default").isEqualTo(0644);
    assertThat(Files.readString(podDir.resolve("main.sh"))).contains("mount -o remount,bind,ro '/etc/keys'");
    assertThat(volumes.resolve("kube-api-access/namespace")).hasContent("default");
    assertThat(Files.readString(volumes.resolve("kube-api-access/token"))).as("a TokenRequest JWT").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(Files.readString(podDir.resolve("main.sh"))).contains("'--endpoints=http://127.0.0.1:1'");
    assertThat(Files.readString(podDir.resolve("main.log"))).contains("etcdctl version: 3.6.16");
  }

  @Test
  void refusesRunAsNonRootWithUserZeroAsAKubeletDoes() {
    env.client().pods().inNamespace("default").resource(new PodBuilder()
        .withNewMetadata().withName("root-refused").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
          .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(0L).endSecurityContext()
          .addNewContainer().withName("main").withImage(IMAGE).withCommand("/usr/local/bin/etcdctl")
            .withArgs("version").endContainer()
        .endSpec().build()).create();

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Pod pod = env.client().pods().inNamespace("default").withName("root-refused").get();
      assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(main -> {
        assertThat(main.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(main.getState().getWaiting().getMessage())
            .startsWith("container's runAsUser breaks non-root policy");
      });
    });
    assertThat(env.client().pods().inNamespace("default").withName("root-refused").get().getStatus().getPhase())
        .isEqualTo("Pending");
  }

  @Test
  void runsAsTheDeclaredUserWithFsGroupOnItsClaimWithinItsMemoryLimit() throws Exception {
    env.client().persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("identity-data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce")
          .withNewResources().addToRequests("storage", new Quantity("64Mi")).endResources()
        .endSpec().build()).create();
    env.client().pods().inNamespace("default").resource(new PodBuilder()
        .withNewMetadata().withName("identity").endMetadata()
        .withNewSpec()
          .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1234L).withRunAsGroup(2345L)
            .withFsGroup(3456L).withSupplementalGroups(4567L).endSecurityContext()
          .addNewContainer().withName("etcd").withImage(IMAGE).withCommand("/usr/local/bin/etcd")
            .withArgs("--name=identity-check", "--data-dir=/data/etcd",
                "--listen-client-urls=http://$(POD_IP):2379", "--advertise-client-urls=http://$(POD_IP):2379",
                "--listen-peer-urls=http://$(POD_IP):2380", "--initial-advertise-peer-urls=http://$(POD_IP):2380",
                "--initial-cluster=identity-check=http://$(POD_IP):2380")
            .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
              .endFieldRef().endValueFrom().endEnv()
            .withNewResources().addToLimits("memory", new Quantity("256Mi")).endResources()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
          .endContainer()
          .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("identity-data")
            .endPersistentVolumeClaim().endVolume()
        .endSpec().build()).create();

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> Boolean.TRUE.equals(
        env.client().pods().inNamespace("default").withName("identity").get().getStatus().getContainerStatuses()
            .get(0).getStarted()));
    long pid = processWithArgument("--name=identity-check");
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    assertThat(status).containsPattern("(?m)^Uid:\\s+1234\\s+1234\\s+1234\\s+1234$")
        .containsPattern("(?m)^Gid:\\s+2345\\s+2345\\s+2345\\s+2345$")
        .containsPattern("(?m)^Groups:\\s+3456 4567\\s*$");

    Path claim = Path.of(env.client().persistentVolumes().withName(env.client().persistentVolumeClaims()
        .inNamespace("default").withName("identity-data").get().getSpec().getVolumeName()).get()
        .getSpec().getHostPath().getPath());
    assertThat(Files.getAttribute(claim, "unix:gid")).as("the claim's group is the fsGroup").isEqualTo(3456);
    assertThat(mode(claim) & 02070).as("setgid, group rwx").isEqualTo(02070);
    await().atMost(TIMEOUT).until(() -> Files.isDirectory(claim.resolve("etcd/member")));
    Path member = claim.resolve("etcd/member");
    assertThat(Files.getAttribute(member, "unix:uid")).as("etcd wrote as its user").isEqualTo(1234);
    assertThat(Files.getAttribute(member, "unix:gid")).as("setgid: the fsGroup").isEqualTo(3456);

    assertThat(memoryLimit(pid)).as("limits.memory, enforced by its cgroup").isEqualTo("268435456");
    env.client().pods().inNamespace("default").withName("identity").delete();
  }

  /** The pid of the one process whose command line has this argument. */
  private static long processWithArgument(String argument) throws Exception {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> {
            try {
              return List.of(Files.readString(p.resolve("cmdline")).split("\\x00")).contains(argument);
            } catch (Exception e) {
              return false;
            }
          })
          .mapToLong(p -> Long.parseLong(p.getFileName().toString())).findFirst().orElseThrow();
    }
  }

  /** The memory limit of the process's cgroup: v1's memory controller line, else v2's unified one. */
  private static String memoryLimit(long pid) throws Exception {
    List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
    return lines.stream().filter(l -> l.split(":")[1].equals("memory")).findFirst()
        .map(l -> Path.of("/sys/fs/cgroup/memory" + l.split(":")[2], "memory.limit_in_bytes"))
        .or(() -> lines.stream().filter(l -> l.startsWith("0::")).findFirst()
            .map(l -> Path.of("/sys/fs/cgroup" + l.substring(3), "memory.max")))
        .map(file -> {
          try {
            return Files.readString(file).trim();
          } catch (Exception e) {
            return "unreadable: " + file;
          }
        }).orElse("no cgroup");
  }

  private static int mode(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:mode") & 07777;
  }
}
