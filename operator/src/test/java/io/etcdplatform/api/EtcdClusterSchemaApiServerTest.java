package io.etcdplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdplatform.testkit.ApiServerTest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRD schema and its CEL rules, as the real kube-apiserver enforces them. */
class EtcdClusterSchemaApiServerTest extends ApiServerTest {

  private static int counter;

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("replicas: 0", "spec.replicas"),
        Arguments.of("replicas: 10", "spec.replicas"),
        Arguments.of("version: v3.6.16", "spec.version"),
        Arguments.of("version: '3.6'", "spec.version"),
        Arguments.of("version: 3.7.0", "spec.version must be a supported etcd release, 3.6.x, or 3.5.x from 3.5.19"),
        Arguments.of("version: 3.5.10", "spec.version must be a supported etcd release, 3.6.x, or 3.5.x from 3.5.19"),
        Arguments.of("version: 3.5.18", "spec.version must be a supported etcd release, 3.6.x, or 3.5.x from 3.5.19"),
        Arguments.of("version: 3.4.37", "spec.version must be a supported etcd release, 3.6.x, or 3.5.x from 3.5.19"),
        Arguments.of("storage: {size: 10 gigs}", "spec.storage.size"),
        Arguments.of("storage: {retentionPolicyOnDelete: Keep}", "spec.storage.retentionPolicyOnDelete"),
        Arguments.of("etcd: {heartbeatIntervalMillis: 100, electionTimeoutMillis: 300}",
            "spec.etcd.electionTimeoutMillis must be at least 5 x spec.etcd.heartbeatIntervalMillis"),
        Arguments.of("etcd: {heartbeatIntervalMillis: 5}", "spec.etcd.heartbeatIntervalMillis"),
        Arguments.of("etcd: {quotaBackendBytes: 17179869184}", "spec.etcd.quotaBackendBytes"),
        Arguments.of("etcd: {extraFlags: {data-dir: /tmp, log-level: warn}}",
            "spec.etcd.extraFlags may not set a flag the operator manages"),
        Arguments.of("etcd: {extraFlags: {force-new-cluster: 'true'}}",
            "spec.etcd.extraFlags may not set force-new-cluster*, unsafe-*, discovery*, strict-reconfig-check"),
        Arguments.of("etcd: {extraFlags: {force-new-cluster-bump-amount: '1000'}}",
            "spec.etcd.extraFlags may not set force-new-cluster*"),
        Arguments.of("etcd: {extraFlags: {unsafe-no-fsync: 'true'}}", "unsafe-no-fsync loses acknowledged writes"),
        Arguments.of("etcd: {extraFlags: {discovery: 'https://discovery.etcd.io/x'}}",
            "discovery bootstraps a membership the operator manages itself"),
        Arguments.of("etcd: {extraFlags: {discovery-srv: example.com}}", "spec.etcd.extraFlags may not set"),
        Arguments.of("etcd: {extraFlags: {strict-reconfig-check: 'false'}}",
            "strict-reconfig-check=false lets a membership change lose the quorum; remove the key"),
        Arguments.of("etcd: {extraFlags: {--log-level: debug}}",
            "spec.etcd.extraFlags keys are etcd flag names without leading dashes"),
        Arguments.of("etcd: {autoCompaction: {mode: hourly, retention: 1h}}", "spec.etcd.autoCompaction.mode"),
        Arguments.of("etcd: {autoCompaction: {mode: periodic}}", "spec.etcd.autoCompaction.retention"),
        Arguments.of("etcd: {autoCompaction: {mode: periodic, retention: one hour}}", "spec.etcd.autoCompaction.retention"),
        Arguments.of("podTemplate: {labels: {app.kubernetes.io/instance: other}}",
            "spec.podTemplate.labels: keys under app.kubernetes.io/ are set by the operator"),
        Arguments.of("paused: maybe", "spec.paused"),
        Arguments.of("backup: {schedule: '0 3 * * *', verifySchedule: weekly, destination: {pvc: {claimName: b}}}",
            "spec.backup.verifySchedule"),
        Arguments.of("backup: {schedule: '0 3 * * *', verify: true, verifySchedule: '0 4 * * 0', "
            + "destination: {pvc: {claimName: b}}}",
            "set verify (a drill of every run) or verifySchedule (drills on a cron of their own), not both"),
        Arguments.of("backup: {schedule: '0 3 * * *', destination: {}}", "spec.backup.destination: Invalid value: set exactly one of s3 or pvc"),
        Arguments.of("backup: {schedule: '0 3 * * *', destination: {pvc: {claimName: b, path: /abs}}}",
            "spec.backup.destination.pvc.path"),
        Arguments.of("bootstrap: {fromBackup: {}}", "set exactly one of backupName, latestOf, or destination and key"),
        Arguments.of("bootstrap: {fromBackup: {backupName: a, destination: {pvc: {claimName: b}}, key: a/b.db}}",
            "set exactly one of backupName, latestOf, or destination and key"),
        Arguments.of("bootstrap: {fromBackup: {backupName: a, latestOf: orders}}",
            "set exactly one of backupName, latestOf, or destination and key"),
        Arguments.of("bootstrap: {fromBackup: {latestOf: orders, destination: {pvc: {claimName: b}}, key: a/b.db}}",
            "set exactly one of backupName, latestOf, or destination and key"),
        Arguments.of("bootstrap: {fromBackup: {latestOf: orders, sha256: " + "ab".repeat(32) + "}}",
            "sha256 goes with destination and key"),
        Arguments.of("bootstrap: {fromBackup: {latestOf: Orders.eu}}", "spec.bootstrap.fromBackup.latestOf"),
        Arguments.of("bootstrap: {fromBackup: {destination: {pvc: {claimName: b}}}}", "destination and key go together"),
        Arguments.of("bootstrap: {fromBackup: {destination: {pvc: {claimName: b}}, key: a.db, sha256: abc}}",
            "spec.bootstrap.fromBackup.sha256"),
        Arguments.of("bootstrap: {fromBackup: {backupName: a, sha256: " + "ab".repeat(32) + "}}",
            "sha256 goes with destination and key"),
        Arguments.of("bootstrap: {fromBackup: {destination: {pvc: {claimName: b}}, key: ../etc/a.db}}",
            "key may not have . or .. segments"),
        Arguments.of("backup: {schedule: '0 3 * * *', destination: {pvc: {claimName: b, path: a/../b}}}",
            "spec.backup.destination.pvc.path"),
        Arguments.of("resources: {limits: {memory: lots}}",
            "spec.resources.limits: each value must be a Kubernetes quantity"),
        Arguments.of("resources: {requests: {cpu: fast}}",
            "spec.resources.requests: each value must be a Kubernetes quantity"),
        Arguments.of("resources: {requests: {memroy: 1Gi}}", "spec.resources.requests: keys are cpu, memory"),
        Arguments.of("tls: {certificateValidityHours: 24, renewBeforeHours: 24}",
            "spec.tls.renewBeforeHours must be less than spec.tls.certificateValidityHours"),
        Arguments.of("tls: {source: LetsEncrypt}", "spec.tls.source"),
        Arguments.of("tls: {source: CertManager}", "spec.tls.certManager is required with spec.tls.source CertManager"),
        Arguments.of("tls: {source: BringYourOwn}", "spec.tls.bringYourOwn is required with spec.tls.source BringYourOwn"),
        Arguments.of("tls: {source: BringYourOwn, bringYourOwn: {client: {secretName: a}, peer: {secretName: b}}}",
            "spec.tls.bringYourOwn.operator"),
        Arguments.of("tls: {source: CertManager, certManager: {issuerRef: {name: ca, kind: Vault}}}",
            "spec.tls.certManager.issuerRef.kind"),
        Arguments.of("networkPolicy: {clientsFrom: [{}]}", "set namespaceSelector, podSelector or both"),
        Arguments.of("tls: {authorityValidityHours: 100, authorityRenewBeforeHours: 100}",
            "spec.tls.authorityRenewBeforeHours must be less than spec.tls.authorityValidityHours"),
        Arguments.of("tls: {clusterDomain: 'Cluster Local'}", "spec.tls.clusterDomain"),
        Arguments.of("auth: {users: [{name: root}]}", "root and etcd-platform-operator are the operator's own users"),
        Arguments.of("auth: {users: [{name: etcd-platform-operator}]}", "are the operator's own users"),
        Arguments.of("auth: {roles: [{name: root, read: [/a/]}]}", "root is etcd's own role"),
        Arguments.of("auth: {users: [{name: alice, roles: [team-a]}]}",
            "spec.auth.users[].roles may name only roles declared in spec.auth.roles"),
        Arguments.of("auth: {roles: [{name: team-a}], users: [{name: alice, roles: [team-a, team-b]}]}",
            "may name only roles declared in spec.auth.roles"),
        Arguments.of("auth: {roles: [{name: team-a}, {name: team-a}]}", "each role name may be declared once"),
        Arguments.of("auth: {users: [{name: alice}, {name: alice}]}", "each user name may be declared once"),
        Arguments.of("auth: {roles: [{name: team-a, readWrite: ['']}]}", "a prefix has 1 to 256 characters"),
        Arguments.of("auth: {users: [{name: Alice_1}]}", "spec.auth.users[0].name"),
        Arguments.of("auth: {users: [{name: alice, passwordSecretRef: {name: s}}]}", "spec.auth.users[0].passwordSecretRef.key"),
        Arguments.of("etcd: {extraFlags: {cert-file: /tmp/mine.crt}}",
            "spec.etcd.extraFlags may not set a flag the operator manages"),
        Arguments.of("resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}",
            "spec.resources.requests of cpu or memory may not exceed spec.resources.limits"));
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        Arguments.of("c".repeat(53), "metadata.name may have at most 52 characters"),
        Arguments.of("c".repeat(60), "metadata.name may have at most 52 characters"),
        Arguments.of("orders.eu", "metadata.name must be a DNS-1035 label"),
        Arguments.of("1st", "metadata.name must be a DNS-1035 label"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNames")
  void rejectsANameWhoseOwnedObjectsCouldNotBeNamed(String name, String expectedMessage) {
    assertThatThrownBy(() -> genericClusters().resource(cluster(name, "{}")).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(expectedMessage);
  }

  @Test
  void acceptsTuningFlags() {
    genericClusters().resource(cluster("tuned", "etcd: {extraFlags: {log-level: warn, max-request-bytes: '10485760', "
        + "experimental-initial-corrupt-check: 'true', grpc-keepalive-min-time: 5s}}")).create();

    assertThat(genericClusters().withName("tuned").get().<Object>get("spec", "etcd", "extraFlags", "log-level"))
        .isEqualTo("warn");
  }

  @Test
  void acceptsEachWayToNameTheBackupToStartFromAndAVerifySchedule() {
    genericClusters().resource(cluster("latest", "bootstrap: {fromBackup: {latestOf: orders}}")).create();
    genericClusters().resource(cluster("named", "bootstrap: {fromBackup: {backupName: orders-0400}}")).create();
    genericClusters().resource(cluster("stored", "bootstrap: {fromBackup: {destination: {pvc: {claimName: b}}, "
        + "key: a/b.db, sha256: " + "ab".repeat(32) + "}}")).create();

    assertThat(genericClusters().withName("latest").get().<Object>get("spec", "bootstrap", "fromBackup", "latestOf"))
        .isEqualTo("orders");
    assertThat(genericClusters().withName("named").get()).isNotNull();
    genericClusters().resource(cluster("drilled", "backup: {schedule: '0 3 * * *', verifySchedule: '0 4 * * 0', "
        + "destination: {pvc: {claimName: b}}}")).create();
    assertThat(genericClusters().withName("drilled").get().<Object>get("spec", "backup", "verifySchedule"))
        .isEqualTo("0 4 * * 0");
    assertThat(genericClusters().withName("stored").get()).isNotNull();
  }

  @Test
  void acceptsEverySupportedRelease() {
    for (String version : new String[] {"3.6.0", "3.6.16", "3.5.19", "3.5.35"}) {
      String name = "v" + version.replace('.', '-');
      genericClusters().resource(cluster(name, "version: " + version)).create();

      assertThat(genericClusters().withName(name).get().<Object>get("spec", "version")).isEqualTo(version);
    }
  }

  @Test
  void acceptsTheLongestNameAndValidQuantities() {
    String longest = "c".repeat(52);
    genericClusters().resource(cluster(longest, "resources: {requests: {cpu: 1, memory: 1Gi}, "
        + "limits: {cpu: 1500m, memory: 1Gi, hugepages-2Mi: 64Mi}}")).create();

    assertThat(genericClusters().withName(longest).get()).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejectsInvalidSpecNamingTheField(String spec, String expectedMessage) {
    GenericKubernetesResource cluster = cluster("bad-" + (++counter), spec);

    assertThatThrownBy(() -> genericClusters().resource(cluster).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(expectedMessage);
    assertThat(genericClusters().withName(cluster.getMetadata().getName()).get()).isNull();
  }

  @Test
  void fillsDefaultsIntoAMinimalSpec() {
    GenericKubernetesResource created = genericClusters().resource(cluster("minimal", "{}")).create();

    Map<String, Object> spec = created.get("spec");
    assertThat(spec).containsEntry("replicas", 3).containsEntry("version", "3.6.16").containsEntry("paused", false);
    assertThat(created.<Object>get("spec", "storage", "size")).isEqualTo("8Gi");
    assertThat(created.<Object>get("spec", "storage", "retentionPolicyOnDelete")).isEqualTo("Retain");
    assertThat(created.<Object>get("spec", "etcd", "quotaBackendBytes")).isEqualTo(2147483648L);
    assertThat(created.<Object>get("spec", "etcd", "electionTimeoutMillis")).isEqualTo(1000);
    assertThat(created.<Object>get("spec", "podDisruptionBudget", "enabled")).isEqualTo(true);
  }

  @Test
  void storageMayGrowButNeverShrink() {
    genericClusters().resource(cluster("grow", "storage: {size: 8Gi}")).create();

    genericClusters().withName("grow").edit(c -> withSpec(c, "storage", Map.of("size", "16Gi")));
    assertThatThrownBy(() -> genericClusters().withName("grow").edit(c -> withSpec(c, "storage", Map.of("size", "12000Mi"))))
        .hasMessageContaining("spec.storage.size cannot shrink (PersistentVolumeClaims only grow): set it to 16Gi or more");
  }

  @Test
  void tlsIsChosenWhenTheClusterIsCreatedAndNeverAddedOrRemovedLater() {
    GenericKubernetesResource plain = genericClusters().resource(cluster("plain", "{}")).create();
    GenericKubernetesResource secure = genericClusters().resource(cluster("secure", "tls: {}")).create();
    assertThat(secure.<Object>get("spec", "tls", "source")).isEqualTo("OperatorManaged");
    assertThat(secure.<Object>get("spec", "tls", "clusterDomain")).isEqualTo("cluster.local");

    assertThatThrownBy(() -> genericClusters().withName(plain.getMetadata().getName())
        .edit(c -> withSpec(c, "tls", Map.of())))
        .hasMessageContaining("spec.tls can be set only when the cluster is created")
        .hasMessageContaining("restore it into a new EtcdCluster with spec.tls");
    assertThatThrownBy(() -> genericClusters().withName(secure.getMetadata().getName()).edit(c -> {
      c.<Map<String, Object>>get("spec").remove("tls");
      return c;
    })).hasMessageContaining("spec.tls can be set only when the cluster is created");
    genericClusters().withName(secure.getMetadata().getName())
        .edit(c -> withSpec(c, "tls", Map.of("certificateValidityHours", 48, "renewBeforeHours", 12)));
    assertThatThrownBy(() -> genericClusters().withName(secure.getMetadata().getName()).edit(c -> withSpec(c, "tls",
        Map.of("source", "BringYourOwn", "bringYourOwn", Map.of("client", Map.of("secretName", "a"),
            "peer", Map.of("secretName", "b"), "operator", Map.of("secretName", "c"))))))
        .hasMessageContaining("spec.tls.source cannot change on a running cluster");
  }

  @Test
  void authMayBeAddedToARunningClusterButNeverRemoved() {
    genericClusters().resource(cluster("plain-auth", "{}")).create();
    genericClusters().withName("plain-auth").edit(c -> {
      c.<Map<String, Object>>get("spec").put("auth", Map.of("roles",
          java.util.List.of(Map.of("name", "team-a", "readWrite", java.util.List.of("/a/"))), "users",
          java.util.List.of(Map.of("name", "alice", "roles", java.util.List.of("team-a")))));
      return c;
    });
    assertThatThrownBy(() -> genericClusters().withName("plain-auth").edit(c -> {
      c.<Map<String, Object>>get("spec").remove("auth");
      return c;
    })).hasMessageContaining("spec.auth cannot be removed once set");
  }

  @Test
  void storageClassIsImmutable() {
    genericClusters().resource(cluster("sc", "storage: {storageClassName: fast}")).create();

    assertThatThrownBy(() -> genericClusters().withName("sc").edit(c -> withSpec(c, "storage", Map.of("storageClassName", "slow"))))
        .hasMessageContaining("spec.storage.storageClassName is immutable");
    assertThatThrownBy(() -> genericClusters().withName("sc").edit(c -> withSpec(c, "storage", Map.of())))
        .hasMessageContaining("spec.storage.storageClassName is immutable");
  }

  @Test
  void backupClusterNameIsRequiredAndImmutable() {
    var backups = client.genericKubernetesResources("etcdplatform.io/v1alpha1", "EtcdBackup").inNamespace(namespace);
    assertThatThrownBy(() -> backups.resource(yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdBackup
        metadata: {name: nameless}
        spec: {}
        """)).create()).hasMessageContaining("spec.clusterName");

    GenericKubernetesResource created = backups.resource(yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdBackup
        metadata: {name: nightly}
        spec:
          clusterName: a
          destination: {s3: {endpoint: "http://minio.storage.svc:9000", bucket: backups, credentialsSecret: {name: s3}}}
        """)).create();
    Map<String, Object> s3 = created.get("spec", "destination", "s3");
    assertThat(s3).as("defaults").containsEntry("region", "us-east-1").containsEntry("forcePathStyle", false);
    assertThatThrownBy(() -> backups.withName("nightly").edit(b -> withSpec(b, "clusterName", "b")))
        .hasMessageContaining("spec.clusterName is immutable");
    assertThatThrownBy(() -> backups.withName("nightly").edit(b -> withSpec(b, "destination",
        Map.of("s3", Map.of("endpoint", "http://other:9000", "bucket", "backups", "credentialsSecret",
            Map.of("name", "s3"))))))
        .hasMessageContaining("spec.destination is immutable: create a new EtcdBackup");
    assertThatThrownBy(() -> backups.resource(yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdBackup
        metadata: {name: badbucket}
        spec:
          clusterName: a
          destination: {s3: {endpoint: "minio:9000", bucket: Backups!, credentialsSecret: {name: s3}}}
        """)).create()).hasMessageContaining("spec.destination.s3.endpoint").hasMessageContaining("spec.destination.s3.bucket");
  }

  @Test
  void aBackupGoesToExactlyOneDestination() {
    var backups = client.genericKubernetesResources("etcdplatform.io/v1alpha1", "EtcdBackup").inNamespace(namespace);
    GenericKubernetesResource toClaim = backups.resource(yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdBackup
        metadata: {name: to-claim}
        spec:
          clusterName: a
          destination: {pvc: {claimName: etcd-backups, path: nightly/eu}}
        """)).create();
    assertThat((Map<String, Object>) toClaim.get("spec", "destination", "pvc")).containsEntry("claimName", "etcd-backups");

    assertThatThrownBy(() -> backups.resource(yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdBackup
        metadata: {name: both}
        spec:
          clusterName: a
          destination:
            pvc: {claimName: etcd-backups}
            s3: {endpoint: "http://minio.storage.svc:9000", bucket: backups, credentialsSecret: {name: s3}}
        """)).create()).hasMessageContaining("spec.destination").hasMessageContaining("set exactly one of s3 or pvc");
  }

  private static GenericKubernetesResource withSpec(GenericKubernetesResource resource, String field, Object value) {
    Map<String, Object> spec = resource.get("spec");
    spec.put(field, value instanceof Map<?, ?> map && !map.isEmpty() ? merge(spec.get(field), map) : value);
    return resource;
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object current, Map<?, ?> changes) {
    Map<String, Object> merged = new java.util.HashMap<>((Map<String, Object>) current);
    changes.forEach((k, v) -> merged.put((String) k, v));
    return merged;
  }

  private static GenericKubernetesResource cluster(String name, String spec) {
    return yaml("""
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdCluster
        metadata: {name: %s}
        spec: %s
        """.formatted(name, spec.startsWith("{") ? spec : "{" + spec + "}"));
  }
}
