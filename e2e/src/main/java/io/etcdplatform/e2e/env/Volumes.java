package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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

  /**
   * mountPath -> host directory, preparing emptyDir, ConfigMap and Secret contents under the pod's
   * directory, with the pod's fsGroup applied to the volumes Kubernetes applies it to.
   */
  Map<String, Path> mounts(Pod pod, Container container, Path podDir) throws IOException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Volume volume = volume(pod, mount.getName());
      Path source = source(pod, volume, podDir.resolve("volumes").resolve(volume.getName()));
      applyFsGroup(pod, source, isProjection(volume));
      mounts.put(mount.getMountPath(), mount.getSubPath() == null || mount.getSubPath().isEmpty()
          ? source : source.resolve(mount.getSubPath()));
    }
    if (mountsServiceAccountToken(pod) && !mounts.containsKey(SERVICE_ACCOUNT_PATH)) {
      // what the ServiceAccount admission plugin adds to every pod: token, ca.crt, namespace
      Path dir = podDir.resolve("volumes").resolve("kube-api-access");
      Files.createDirectories(dir);
      VolumeFiles.write(dir, VolumeFiles.of(Map.of("token", utf8(token(pod, null)),
          "ca.crt", Files.readAllBytes(caCertificate), "namespace", utf8(pod.getMetadata().getNamespace())),
          null, null));
      applyFsGroup(pod, dir, true);
      mounts.put(SERVICE_ACCOUNT_PATH, dir);
    }
    return mounts;
  }

  /**
   * The mount paths a kubelet mounts read-only: those the spec says, and every Secret, ConfigMap,
   * downwardAPI and projected volume (the service-account token among them).
   */
  static Set<String> readOnly(Pod pod, Container container) {
    Set<String> readOnly = new HashSet<>();
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      if (Boolean.TRUE.equals(mount.getReadOnly()) || isProjection(volume(pod, mount.getName()))) {
        readOnly.add(mount.getMountPath());
      }
    }
    if (mountsServiceAccountToken(pod)) {
      readOnly.add(SERVICE_ACCOUNT_PATH);
    }
    return readOnly;
  }

  private static boolean mountsServiceAccountToken(Pod pod) {
    return !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken());
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("volume " + name + " is not declared"));
  }

  private static boolean isProjection(Volume volume) {
    return volume.getSecret() != null || volume.getConfigMap() != null || volume.getDownwardAPI() != null
        || volume.getProjected() != null;
  }

  /** Claims, emptyDir and the projections all support ownership management (every kind here). */
  private static void applyFsGroup(Pod pod, Path source, boolean readOnly) throws IOException {
    PodSecurityContext context = pod.getSpec().getSecurityContext();
    if (context != null && context.getFsGroup() != null) {
      VolumeOwnership.apply(source, context.getFsGroup(), context.getFsGroupChangePolicy(), readOnly);
    }
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
      var map = volume.getConfigMap();
      VolumeFiles.write(dir, VolumeFiles.of(configMap(namespace, map.getName()), map.getItems(), map.getDefaultMode()));
    } else if (volume.getSecret() != null) {
      var secret = volume.getSecret();
      VolumeFiles.write(dir, VolumeFiles.of(secret(namespace, secret.getSecretName()), secret.getItems(),
          secret.getDefaultMode()));
    } else if (volume.getDownwardAPI() != null) {
      VolumeFiles.write(dir, fields(pod, volume.getDownwardAPI().getItems(), volume.getDownwardAPI().getDefaultMode()));
    } else if (volume.getProjected() != null) {
      writeProjected(pod, volume.getProjected(), dir);
    } else {
      throw new IllegalStateException("volume " + volume.getName() + ": this kind of volume is not supported here yet");
    }
    return dir;
  }

  private void writeProjected(Pod pod, ProjectedVolumeSource projected, Path dir) throws IOException {
    String namespace = pod.getMetadata().getNamespace();
    Integer mode = projected.getDefaultMode();
    List<VolumeFiles.File> files = new ArrayList<>();
    for (var source : projected.getSources()) {
      if (source.getServiceAccountToken() != null) {
        var token = source.getServiceAccountToken();
        files.add(new VolumeFiles.File(token.getPath(), utf8(token(pod, token.getAudience())),
            mode == null ? VolumeFiles.DEFAULT_MODE : mode));
      } else if (source.getConfigMap() != null) {
        files.addAll(VolumeFiles.of(configMap(namespace, source.getConfigMap().getName()),
            source.getConfigMap().getItems(), mode));
      } else if (source.getDownwardAPI() != null) {
        files.addAll(fields(pod, source.getDownwardAPI().getItems(), mode));
      } else if (source.getSecret() != null) {
        files.addAll(VolumeFiles.of(secret(namespace, source.getSecret().getName()), source.getSecret().getItems(),
            mode));
      }
    }
    VolumeFiles.write(dir, files);
  }

  private Map<String, byte[]> configMap(String namespace, String name) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      throw new IllegalStateException("configmap " + name + " not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    Optional.ofNullable(map.getData()).orElse(Map.of()).forEach((key, value) -> data.put(key, utf8(value)));
    return data;
  }

  private Map<String, byte[]> secret(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("secret " + name + " not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    Optional.ofNullable(secret.getData()).orElse(Map.of())
        .forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
    return data;
  }

  private static List<VolumeFiles.File> fields(Pod pod, List<DownwardAPIVolumeFile> items, Integer defaultMode) {
    int mode = defaultMode == null ? VolumeFiles.DEFAULT_MODE : defaultMode;
    return items.stream().map(item -> new VolumeFiles.File(item.getPath(),
        utf8(field(pod, item.getFieldRef().getFieldPath())), item.getMode() == null ? mode : item.getMode())).toList();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
