package io.etcdplatform.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The Kubernetes and etcd binaries scripts/build-binaries.sh puts in the cache, at the versions
 * pinned in scripts/versions.env. A missing binary fails the test with the command that builds it.
 */
public final class Binaries {

  private static final Properties VERSIONS = readVersions();

  private Binaries() {}

  public static Path repositoryRoot() {
    String root = System.getProperty("etcd-platform.root");
    Path start = Path.of(root != null ? root : ".").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("scripts/versions.env"))) {
        return dir;
      }
    }
    throw new IllegalStateException("scripts/versions.env not found above " + start);
  }

  public static Path cache() {
    String fromProperty = System.getProperty("etcd-platform.cache");
    String fromEnv = System.getenv("ETCD_PLATFORM_CACHE");
    return Path.of(fromProperty != null ? fromProperty
        : fromEnv != null ? fromEnv : System.getProperty("user.home") + "/.cache/etcd-platform");
  }

  public static String kubernetesVersion() {
    return VERSIONS.getProperty("KUBERNETES_VERSION");
  }

  public static Path kubernetes(String binary) {
    return existing(cache().resolve("kubernetes-" + kubernetesVersion()).resolve(binary), "kubernetes");
  }

  /** etcd, etcdctl or etcdutl of the pinned 3.6 release. */
  public static Path etcd(String binary) {
    return existing(cache().resolve("etcd-" + VERSIONS.getProperty("ETCD_36_VERSION")).resolve(binary), "etcd");
  }

  /** etcd of the pinned 3.6 release built with gofail failpoints (the fault-injection tests). */
  public static Path etcdWithFailpoints() {
    return existing(cache().resolve("etcd-failpoints-" + VERSIONS.getProperty("ETCD_36_VERSION")).resolve("etcd"),
        "etcd-failpoints");
  }

  /** etcd, etcdctl or etcdutl of the pinned 3.5 release. */
  public static Path etcd35(String binary) {
    return existing(cache().resolve("etcd-" + VERSIONS.getProperty("ETCD_35_VERSION")).resolve(binary), "etcd");
  }

  public static Path helm() {
    return existing(cache().resolve("helm-" + VERSIONS.getProperty("HELM_VERSION")).resolve("helm"), "helm");
  }

  /** The MinIO server the backup tests store snapshots in. */
  public static Path minio() {
    return existing(cache().resolve("minio-" + VERSIONS.getProperty("MINIO_VERSION")).resolve("minio"), "minio");
  }

  /** The Prometheus Operator's CRDs (monitoring.coreos.com_*.yaml), generated from its API module. */
  public static Path prometheusOperatorCrd(String kind) {
    Path dir = cache().resolve("prometheus-operator-crds-" + VERSIONS.getProperty("PROMETHEUS_OPERATOR_VERSION"));
    return existing(dir, "prometheus-operator-crds").resolve("monitoring.coreos.com_" + kind + ".yaml");
  }

  /** cert-manager's controller, built from its module's controller packages (scripts/build-binaries.sh cert-manager). */
  public static Path certManagerController() {
    return existing(certManagerDirectory().resolve("cert-manager-controller"), "cert-manager");
  }

  /** cert-manager's CRDs (cert-manager.io_certificates.yaml, ...), from the same module. */
  public static Path certManagerCrd(String file) {
    certManagerController();
    return certManagerDirectory().resolve("crds").resolve(file);
  }

  private static Path certManagerDirectory() {
    return cache().resolve("cert-manager-" + VERSIONS.getProperty("CERT_MANAGER_VERSION"));
  }

  private static Path existing(Path binary, String target) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: build it with `scripts/build-binaries.sh " + target
          + "` (make test does this for you)");
    }
    return binary;
  }

  private static Properties readVersions() {
    Properties versions = new Properties();
    try (var reader = Files.newBufferedReader(repositoryRoot().resolve("scripts/versions.env"))) {
      versions.load(reader);
      return versions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
