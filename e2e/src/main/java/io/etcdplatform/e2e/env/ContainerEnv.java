package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A container's environment and command line, as a kubelet computes them. */
final class ContainerEnv {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private ContainerEnv() {}

  /** envFrom first, then env in order; each value may refer to earlier variables as $(NAME). */
  static Map<String, String> of(KubernetesClient client, Pod pod, Container container, String podIp) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    // A kubelet gives every container the `kubernetes` Service's address, which in-cluster clients
    // use; here it is the API server itself on loopback (a Service ClusterIP is not reachable).
    URL apiServer = client.getMasterUrl();
    env.put("KUBERNETES_SERVICE_HOST", apiServer.getHost());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiServer.getPort()));
    if (container.getEnvFrom() != null) {
      for (EnvFromSource source : container.getEnvFrom()) {
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        if (source.getConfigMapRef() != null) {
          ConfigMap map = client.configMaps().inNamespace(namespace).withName(source.getConfigMapRef().getName()).get();
          if (map == null) {
            throw new IllegalStateException("configmap " + source.getConfigMapRef().getName() + " not found");
          }
          map.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
        if (source.getSecretRef() != null) {
          Secret secret = client.secrets().inNamespace(namespace).withName(source.getSecretRef().getName()).get();
          if (secret == null) {
            throw new IllegalStateException("secret " + source.getSecretRef().getName() + " not found");
          }
          secret.getData().forEach((k, v) -> env.put(prefix + k, decode(v)));
        }
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar variable : container.getEnv()) {
        env.put(variable.getName(), value(client, pod, variable, podIp, env));
      }
    }
    return env;
  }

  private static String value(KubernetesClient client, Pod pod, EnvVar variable, String podIp, Map<String, String> earlier) {
    if (variable.getValueFrom() == null) {
      return expand(variable.getValue() == null ? "" : variable.getValue(), earlier);
    }
    var from = variable.getValueFrom();
    String namespace = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        case "metadata.uid" -> pod.getMetadata().getUid();
        case "status.podIP", "status.hostIP" -> podIp;
        case "spec.nodeName" -> pod.getSpec().getNodeName();
        case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
        default -> throw new IllegalStateException("fieldRef " + from.getFieldRef().getFieldPath() + " is not supported here");
      };
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(from.getConfigMapKeyRef().getName()).get();
      String value = map == null ? null : map.getData().get(from.getConfigMapKeyRef().getKey());
      if (value == null) {
        throw new IllegalStateException("configmap key " + from.getConfigMapKeyRef().getName() + "/" + from.getConfigMapKeyRef().getKey() + " not found");
      }
      return value;
    }
    if (from.getSecretKeyRef() != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(from.getSecretKeyRef().getName()).get();
      String value = secret == null ? null : secret.getData().get(from.getSecretKeyRef().getKey());
      if (value == null) {
        throw new IllegalStateException("secret key " + from.getSecretKeyRef().getName() + "/" + from.getSecretKeyRef().getKey() + " not found");
      }
      return decode(value);
    }
    throw new IllegalStateException("env " + variable.getName() + ": this source is not supported here");
  }

  /** Kubernetes $(VAR) expansion: known variables are replaced, unknown ones kept, $$ escapes. */
  static String expand(String text, Map<String, String> env) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = matcher.group(1) == null ? "\\$"
          : env.containsKey(matcher.group(1)) ? Matcher.quoteReplacement(env.get(matcher.group(1)))
          : Matcher.quoteReplacement(matcher.group());
      matcher.appendReplacement(out, replacement);
    }
    matcher.appendTail(out);
    return out.toString();
  }

  static List<String> expand(List<String> words, Map<String, String> env) {
    return words == null ? List.of() : words.stream().map(w -> expand(w, env)).toList();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
