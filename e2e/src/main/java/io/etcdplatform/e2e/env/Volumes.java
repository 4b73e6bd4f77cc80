package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
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
import java.util.List;
import java.util.Map;

/** Where each of a container's volume mounts comes from on this machine. */
final class Volumes {

  static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final long TOKEN_SECONDS = 3600;

  private final KubernetesClient client;
  private final Path caCertificate;

  /** @param caCertificate the API server's CA, written as ca.crt next to service-account tokens */
  Volumes(KubernetesClient client, Path caCertificate) {
    this.client = client;
    this.caCertificate = caCertificate;
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
    if (!Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken()) && !mounts.containsKey(SERVICE_ACCOUNT_PATH)) {
      // what the ServiceAccount admission plugin adds to every pod: token, ca.crt, namespace
      Path dir = podDir.resolve("volumes").resolve("kube-api-access");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("token"), token(pod, null));
      Files.copy(caCertificate, dir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("namespace"), pod.getMetadata().getNamespace());
      mounts.put(SERVICE_ACCOUNT_PATH, dir);
    }
    return mounts;
  }

  /**
   * A token of the pod's service account (TokenRequest), bound to the pod when the pod names its
   * account (the test API server runs without the ServiceAccount admission plugin, which would
   * otherwise fill in "default").
   */
  private String token(Pod pod, String audience) {
    String named = pod.getSpec().getServiceAccountName();
    String account = named == null || named.isEmpty() ? "default" : named;
    var spec = new io.fabric8.kubernetes.api.model.authentication.TokenRequestSpecBuilder()
        .withAudiences(audience == null ? java.util.List.of() : java.util.List.of(audience))
        .withExpirationSeconds(TOKEN_SECONDS);
    if (account.equals(named)) {
      spec.withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
          .withUid(pod.getMetadata().getUid()).endBoundObjectRef();
    }
    var request = new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withSpec(spec.build()).build();
    return client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(account)
        .tokenRequest(request).getStatus().getToken();
  }

  private static String field(Pod pod, String path) {
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "metadata.labels" -> lines(pod.getMetadata().getLabels());
      case "metadata.annotations" -> lines(pod.getMetadata().getAnnotations());
      default -> throw new IllegalStateException("downwardAPI field " + path + " is not supported here");
    };
  }

  private static String lines(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    if (map != null) {
      new java.util.TreeMap<>(map).forEach((k, v) -> out.append(k).append("=\"").append(v).append("\"\n"));
    }
    return out.toString();
  }

  private static void write(Path dir, String relative, byte[] content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
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
      writeConfigMap(namespace, volume.getConfigMap().getName(), dir);
    } else if (volume.getSecret() != null) {
      writeSecret(namespace, volume.getSecret().getSecretName(), dir);
    } else if (volume.getDownwardAPI() != null) {
      writeFields(pod, volume.getDownwardAPI().getItems(), dir);
    } else if (volume.getProjected() != null) {
      for (var source : volume.getProjected().getSources()) {
        if (source.getServiceAccountToken() != null) {
          write(dir, source.getServiceAccountToken().getPath(),
              utf8(token(pod, source.getServiceAccountToken().getAudience())));
        } else if (source.getConfigMap() != null) {
          writeConfigMap(namespace, source.getConfigMap().getName(), dir);
        } else if (source.getDownwardAPI() != null) {
          writeFields(pod, source.getDownwardAPI().getItems(), dir);
        } else if (source.getSecret() != null) {
          writeSecret(namespace, source.getSecret().getName(), dir);
        }
      }
    } else {
      throw new IllegalStateException("volume " + volume.getName() + ": this kind of volume is not supported here yet");
    }
    return dir;
  }

  private void writeConfigMap(String namespace, String name, Path dir) throws IOException {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      throw new IllegalStateException("configmap " + name + " not found");
    }
    for (var entry : map.getData().entrySet()) {
      write(dir, entry.getKey(), utf8(entry.getValue()));
    }
  }

  private void writeSecret(String namespace, String name, Path dir) throws IOException {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("secret " + name + " not found");
    }
    for (var entry : secret.getData().entrySet()) {
      write(dir, entry.getKey(), Base64.getDecoder().decode(entry.getValue()));
    }
  }

  private static void writeFields(Pod pod, List<DownwardAPIVolumeFile> items, Path dir) throws IOException {
    for (var item : items) {
      write(dir, item.getPath(), utf8(field(pod, item.getFieldRef().getFieldPath())));
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
