package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.members.MemberPods;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Member pods of the StatefulSet (OnDelete updates): deleting a pod restarts the member from the
 * current template; deleting its claim first makes the StatefulSet give it an empty volume.
 */
public record KubernetesMemberPods(EtcdCluster cluster, KubernetesClient client) implements MemberPods {

  @Override
  public void restart(String member) {
    client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(member).delete();
  }

  @Override
  public void deleteWithData(String member) {
    // the claim is protected until its pod is gone, then deleted; the re-created pod gets a new one
    client.persistentVolumeClaims().inNamespace(cluster.getMetadata().getNamespace())
        .withName(DesiredStatefulSet.DATA_VOLUME + "-" + member).delete();
    restart(member);
  }
}
