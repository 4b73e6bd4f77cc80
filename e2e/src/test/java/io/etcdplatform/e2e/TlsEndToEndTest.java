package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.grpc.netty.GrpcSslContexts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TLS cluster from {@code kubectl apply} of the example, on the local environment: members speak
 * mutual TLS to each other and to clients with the operator's certificates, the operator manages
 * them through its own client certificate, and a client without one is refused.
 */
class TlsEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Path OPERATOR_LOG = Path.of("target", "operator-tls.log").toAbsolutePath();
  private static final String CLIENT_URL = "https://secure-client.default.svc:2379";
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static AcknowledgedWrites writes;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    // the test JVM resolves names through target/env/node/hosts (the e2e module's argLine)
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    Files.deleteIfExists(OPERATOR_LOG);
    operator = OperatorProcess.startAsChartAccount(env, work, Map.of(), OPERATOR_LOG);
  }

  @AfterAll
  static void stop() {
    if (writes != null) {
      writes.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void theTlsExampleRunsOverMutualTlsAMemberRejoinsOverItAfterACrashAndAJobBacksItUpToAClaim() throws Exception {
    try (InputStream example = Files.newInputStream(Binaries.repositoryRoot().resolve("examples/etcd-cluster-tls.yaml"))) {
      env.client().load(example).inNamespace("default").serverSideApply();
    }

    EtcdCluster running = awaitRunning();
    assertThat(running.getStatus().getMembers()).hasSize(3);
    assertThat(running.getStatus().getLeader()).startsWith("secure-");
    ClientTls identity = operatorIdentity();
    writes = new AcknowledgedWrites(List.of(CLIENT_URL), Optional.of(identity.sslContext()));
    await().atMost(Duration.ofSeconds(60)).until(() -> writes.count() > 10);

    try (Client withoutCertificate = Client.builder().endpoints(URI.create(CLIENT_URL))
        .sslContext(GrpcSslContexts.forClient().trustManager(stream(identity.trustedAuthoritiesPem())).build())
        .connectTimeout(Duration.ofSeconds(5)).waitForReady(false).build()) {
      assertThatThrownBy(() -> withoutCertificate.getKVClient()
          .put(ByteSequence.from("k", StandardCharsets.UTF_8), ByteSequence.from("v", StandardCharsets.UTF_8))
          .get(15, TimeUnit.SECONDS)).hasStackTraceContaining("UNAVAILABLE");
    }

    env.agent().crash("default", "secure-1", "etcd");
    await().atMost(TIMEOUT).until(() -> restarts("secure-1") > 0);
    awaitRunning();
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();

    // the Job that writes to a claim dials with the operator's client certificate, as the operator does
    env.client().persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("tls-backups").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
          .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .build()).create();
    env.client().resource(claimBackup("secure-to-claim", "tls-backups")).create();
    EtcdBackup backedUp = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdBackup.class).inNamespace("default").withName("secure-to-claim"),
        b -> b.getStatus() != null && (b.getStatus().getPhase() == EtcdBackupStatus.Phase.Succeeded
            || b.getStatus().getPhase() == EtcdBackupStatus.Phase.Failed));
    assertThat(backedUp.getStatus().getPhase()).as(backedUp.getStatus().getMessage())
        .isEqualTo(EtcdBackupStatus.Phase.Succeeded);
    assertThat(backedUp.getStatus().getSizeBytes()).isPositive();
    assertThat(Files.readString(OPERATOR_LOG)).doesNotContainIgnoringCase("forbidden");
  }

  private static EtcdBackup claimBackup(String name, String claim) {
    PvcDestination pvc = new PvcDestination();
    pvc.setClaimName(claim);
    BackupDestination destination = new BackupDestination();
    destination.setPvc(pvc);
    EtcdBackupSpec spec = new EtcdBackupSpec();
    spec.setClusterName("secure");
    spec.setDestination(destination);
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace("default");
    backup.setSpec(spec);
    return backup;
  }

  private static ClientTls operatorIdentity() {
    Secret secret = env.client().secrets().inNamespace("default").withName("secure-tls-operator").get();
    return new ClientTls(text(secret, "ca.crt"), text(secret, "tls.crt"), text(secret, "tls.key"));
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static int restarts(String pod) {
    var status = env.client().pods().inNamespace("default").withName(pod).get().getStatus();
    return status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty() ? 0
        : status.getContainerStatuses().get(0).getRestartCount();
  }

  private static EtcdCluster awaitRunning() {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdCluster.class).inNamespace("default").withName("secure"),
        c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.Running && "3/3".equals(c.getStatus().getReady())
            && c.getStatus().getMembers().size() == 3);
  }
}
