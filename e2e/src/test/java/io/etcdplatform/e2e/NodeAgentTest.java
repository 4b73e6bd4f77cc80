package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.e2e.env.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node agent beyond etcd members: a Job pod with an init container and the volume kinds pods use. */
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
              .endContainer()
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
    assertThat(volumes.resolve("kube-api-access/namespace")).hasContent("default");
    assertThat(Files.readString(volumes.resolve("kube-api-access/token"))).as("a TokenRequest JWT").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(Files.readString(podDir.resolve("main.sh"))).contains("'--endpoints=http://127.0.0.1:1'");
    assertThat(Files.readString(podDir.resolve("main.log"))).contains("etcdctl version: 3.6.16");
  }
}
