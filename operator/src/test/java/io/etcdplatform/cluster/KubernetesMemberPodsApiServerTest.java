package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.members.DisruptionRefusedException;
import io.etcdplatform.testkit.ApiServerTest;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 2: restarts and replacements deleted pods directly, bypassing the
 * PodDisruptionBudget, so a drain admitted between a pass's observation and its action could take
 * a second member. On the real API server, with kube-controller-manager's disruption controller
 * keeping the budget's status.
 */
class KubernetesMemberPodsApiServerTest extends ApiServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static Pod runningReady(String name, String instance) {
    Pod pod = client.resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Map.of("instance", instance))
        .endMetadata()
        .withNewSpec().withNodeName("nowhere").addNewContainer().withName("etcd").withImage("etcd").endContainer()
        .endSpec()
        .build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
    return client.resource(pod).updateStatus();
  }

  private static void budget(String instance, int minAvailable, int expectedHealthy) {
    PodDisruptionBudget pdb = client.resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(instance).withNamespace(namespace).endMetadata()
        .withNewSpec().withMinAvailable(new IntOrString(minAvailable))
          .withNewSelector().withMatchLabels(Map.of("instance", instance)).endSelector()
        .endSpec()
        .build()).create();
    await().atMost(TIMEOUT).until(() -> {
      var status = client.resource(pdb).get().getStatus();
      return status != null && status.getCurrentHealthy() != null && status.getCurrentHealthy() == expectedHealthy
          && status.getObservedGeneration() != null && status.getObservedGeneration() >= 1;
    });
  }

  private static boolean deleting(String pod) {
    Pod current = client.pods().inNamespace(namespace).withName(pod).get();
    return current == null || current.getMetadata().getDeletionTimestamp() != null;
  }

  private static KubernetesMemberPods pods(String name) {
    return pods(name, client);
  }

  private static KubernetesMemberPods pods(String name, KubernetesClient client) {
    EtcdCluster cluster = cluster(name, 3);
    cluster.getMetadata().setNamespace(namespace);
    return new KubernetesMemberPods(cluster, client);
  }

  /** A client as the operator's (retries by default), counting the eviction requests it sends. */
  private static KubernetesClient countingEvictions(AtomicInteger evictions) {
    Interceptor counter = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (request.uri().getPath().endsWith("/eviction")) {
          evictions.incrementAndGet();
        }
      }
    };
    return new KubernetesClientBuilder().withConfig(client.getConfiguration())
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("count-evictions", counter))
        .build();
  }

  @Test
  void aRestartTheBudgetDoesNotAllowIsRefusedAndThePodKept() {
    runningReady("a-0", "a");
    runningReady("a-1", "a");
    budget("a", 2, 2);

    assertThatThrownBy(() -> pods("a").restart("a-1")).isInstanceOf(DisruptionRefusedException.class)
        .hasMessageContaining("allows no eviction of a-1");
    assertThat(deleting("a-1")).isFalse();
  }

  /**
   * The client retried a refused eviction (429, Retry-After 10 s) within the same call, for up to
   * twice its request timeout, and evicted the pod whenever the budget first allowed it: at a
   * moment the pass never observed, a reconcile thread blocked meanwhile. One request, one answer.
   */
  @Test
  void aRefusedEvictionIsSentOnceNotRetriedByTheClient() {
    runningReady("d-0", "d");
    runningReady("d-1", "d");
    budget("d", 2, 2);
    AtomicInteger evictions = new AtomicInteger();

    try (KubernetesClient counting = countingEvictions(evictions)) {
      assertThatThrownBy(() -> pods("d", counting).restart("d-1")).isInstanceOf(DisruptionRefusedException.class);
    }

    assertThat(evictions).hasValue(1);
    assertThat(deleting("d-1")).isFalse();
  }

  @Test
  void aRestartTheBudgetAllowsEvictsThePod() {
    runningReady("b-0", "b");
    runningReady("b-1", "b");
    budget("b", 1, 2);

    pods("b").restart("b-1");

    assertThat(deleting("b-1")).isTrue();
    assertThat(deleting("b-0")).isFalse();
  }

  @Test
  void aFailedPodOrTheOnlyMemberIsDeletedDirectly() {
    Pod failed = runningReady("c-0", "c");
    runningReady("c-1", "c");
    budget("c", 2, 2);
    failed.getStatus().setPhase("Failed");
    client.resource(failed).updateStatus();

    pods("c").restart("c-0");
    pods("c").restartOnlyMember("c-1");

    assertThat(deleting("c-0")).isTrue();
    assertThat(deleting("c-1")).isTrue();
    pods("c").restart("c-9"); // gone already: nothing to do
  }
}
