package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.maintenance.ClientEndpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A member pod's client-endpoint label, which the client Service selects on, and the Service's
 * EndpointSlices, read until they no longer list a pod held out (what a kube-proxy or a client
 * watching them acts on).
 */
record KubernetesClientEndpoints(EtcdCluster cluster, KubernetesClient client) implements ClientEndpoints {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  @Override
  public boolean holdOut(String member, Duration timeout) {
    label(member, ClusterLabels.HELD_OUT);
    Instant deadline = Instant.now().plus(timeout);
    while (listed(member)) {
      if (!Instant.now().isBefore(deadline)) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void giveBack(String member) {
    label(member, ClusterLabels.IN_CLIENT_ENDPOINTS);
  }

  private void label(String member, String value) {
    client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(member)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + ClusterLabels.CLIENT_ENDPOINT + "\":\"" + value + "\"}}}");
  }

  private boolean listed(String member) {
    return client.discovery().v1().endpointSlices().inNamespace(cluster.getMetadata().getNamespace())
        .withLabel(SERVICE_NAME_LABEL, ClusterNames.clientService(cluster)).list().getItems().stream()
        .map(EndpointSlice::getEndpoints).filter(Objects::nonNull).flatMap(java.util.List::stream)
        .anyMatch(e -> e.getTargetRef() != null && member.equals(e.getTargetRef().getName()));
  }
}
