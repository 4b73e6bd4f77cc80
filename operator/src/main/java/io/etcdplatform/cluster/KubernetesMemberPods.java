package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.members.DisruptionRefusedException;
import io.etcdplatform.members.MemberPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.PodResource;

/**
 * Member pods of the StatefulSet (OnDelete updates): removing a pod restarts the member from the
 * current template; deleting its claim first makes the StatefulSet give it an empty volume. Pods
 * go through the Eviction API (policy/v1), so the PodDisruptionBudget also guards against a drain
 * admitted between the pass's observation and its action; a pod is deleted directly only when it
 * has already failed (no budget protects a failed pod), or for the only member of a cluster.
 * An eviction is asked once: the client would retry a refusal (429, after the API server's
 * Retry-After of 10 s) for up to twice its request timeout and then evict the pod whenever the
 * budget first allowed it, at a moment the pass never observed, its thread blocked meanwhile.
 */
public record KubernetesMemberPods(EtcdCluster cluster, KubernetesClient client) implements MemberPods {

  @Override
  public void restart(String member) {
    PodResource pod = pod(member);
    Pod current = pod.get();
    if (current == null) {
      return; // gone already: the StatefulSet re-creates it from the current template
    }
    if ("Failed".equals(current.getStatus() == null ? null : current.getStatus().getPhase())) {
      pod.delete();
      return;
    }
    evict(member);
  }

  @Override
  public void restartOnlyMember(String member) {
    pod(member).delete();
  }

  @Override
  public void deleteWithData(String member) {
    // the claim is protected until its pod is gone, then deleted; the re-created pod gets a new one
    client.persistentVolumeClaims().inNamespace(cluster.getMetadata().getNamespace())
        .withName(DesiredStatefulSet.claimOf(member)).delete();
    restart(member);
  }

  @Override
  public void forceDeleteWithData(String member) {
    client.persistentVolumeClaims().inNamespace(cluster.getMetadata().getNamespace())
        .withName(DesiredStatefulSet.claimOf(member)).delete();
    pod(member).withGracePeriod(0).delete();
  }

  private void evict(String member) {
    boolean evicted;
    try {
      evicted = once().pods().inNamespace(cluster.getMetadata().getNamespace()).withName(member).evict();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return;
      }
      throw e;
    }
    if (!evicted) {
      throw new DisruptionRefusedException("the PodDisruptionBudget " + cluster.getMetadata().getName()
          + " allows no eviction of " + member + " now (another member is unavailable or being disrupted)");
    }
  }

  /** The same client, sharing its connections, that sends a refused request only once. */
  private KubernetesClient once() {
    RequestConfig noRetries = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0)
        .build();
    return client.newClient(noRetries).adapt(KubernetesClient.class);
  }

  private PodResource pod(String member) {
    return client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(member);
  }
}
