package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where each of a container's volume mounts comes from on this machine. */
final class Volumes {

  private final KubernetesClient client;

  Volumes(KubernetesClient client) {
    this.client = client;
  }

  /** mountPath -> host directory, preparing emptyDir, ConfigMap and Secret contents under the pod's directory. */
  Map<String, Path> mounts(Pod pod, Container container, Path podDir) throws IOException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    if (container.getVolumeMounts() == null) {
      return mounts;
    }
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
          .orElseThrow(() -> new IllegalStateException("volume " + mount.getName() + " is not declared"));
      Path source = source(pod, volume, podDir.resolve("volumes").resolve(volume.getName()));
      mounts.put(mount.getMountPath(), mount.getSubPath() == null || mount.getSubPath().isEmpty()
          ? source : source.resolve(mount.getSubPath()));
    }
    return mounts;
  }

  private Path source(Pod pod, Volume volume, Path dir) throws IOException {
    String namespace = pod.getMetadata().getNamespace();
    if (volume.getPersistentVolumeClaim() != null) {
      String claimName = volume.getPersistentVolumeClaim().getClaimName();
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
      if (claim == null || claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty()) {
        throw new IllegalStateException("persistentvolumeclaim " + claimName + " is not bound yet");
      }
      PersistentVolume pv = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      if (pv == null || pv.getSpec().getHostPath() == null) {
        throw new IllegalStateException("persistentvolume " + claim.getSpec().getVolumeName() + " has no local directory");
      }
      return Path.of(pv.getSpec().getHostPath().getPath());
    }
    Files.createDirectories(dir);
    if (volume.getEmptyDir() != null) {
      return dir;
    }
    if (volume.getConfigMap() != null) {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
      if (map == null) {
        throw new IllegalStateException("configmap " + volume.getConfigMap().getName() + " not found");
      }
      for (var entry : map.getData().entrySet()) {
        Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
      }
      return dir;
    }
    if (volume.getSecret() != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
      if (secret == null) {
        throw new IllegalStateException("secret " + volume.getSecret().getSecretName() + " not found");
      }
      for (var entry : secret.getData().entrySet()) {
        Files.write(dir.resolve(entry.getKey()), Base64.getDecoder().decode(entry.getValue()));
      }
      return dir;
    }
    throw new IllegalStateException("volume " + volume.getName() + ": this kind of volume is not supported here yet");
  }
}
