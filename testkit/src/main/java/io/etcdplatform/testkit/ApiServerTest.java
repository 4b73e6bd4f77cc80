package io.etcdplatform.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * Base of the tests that run against the real kube-apiserver: the shared control plane, the
 * committed CRDs from crds/ installed, and a fresh namespace per test class.
 */
public abstract class ApiServerTest {

  protected static KubeControlPlane controlPlane;
  protected static KubernetesClient client;
  protected static String namespace;

  @RegisterExtension
  static final BeforeAllCallback CONTROL_PLANE = context -> {
    controlPlane = SharedControlPlane.get(context);
  };

  @BeforeAll
  static void connectAndInstallCrds() {
    client = controlPlane.newClient();
    installCrds(client);
    namespace = "test-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  /** Applies the committed CRDs (what a user applies) and waits until they are established. */
  public static void installCrds(KubernetesClient client) {
    try (Stream<Path> files = Files.list(Binaries.repositoryRoot().resolve("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(file)) {
          crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        client.resource(crd).forceConflicts().serverSideApply();
        Waits.until(client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()),
            Duration.ofSeconds(30), established -> established.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** EtcdClusters as untyped objects, for specs the Java model cannot even hold. */
  protected static NonNamespaceOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> genericClusters() {
    return client.genericKubernetesResources("etcdplatform.io/v1alpha1", "EtcdCluster").inNamespace(namespace);
  }

  protected static GenericKubernetesResource yaml(String yaml) {
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  protected static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }
}
