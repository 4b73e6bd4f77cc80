package io.etcdplatform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdCredential;
import io.etcdplatform.etcd.EtcdPermission;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MemberCertificates;
import io.etcdplatform.tls.UserCertificates;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The auth planner and executor on real etcd 3.6 and 3.5: root and auth enabled, a declared user
 * confined to its prefix (a write outside refused, PERMISSION_DENIED), a changed declaration
 * converging (a permission taken away is refused), a removed user gone, the operator's calls
 * working as root once auth is on, and a wrong password refused with a message that says so.
 */
class AuthRealEtcdTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String ROOT_PASSWORD = AuthSecrets.newPassword();
  private static final String ALICE_PASSWORD = AuthSecrets.newPassword();
  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.6", "3.5"})
  void aDeclaredUserIsConfinedToItsPrefixAndTheOperatorKeepsWorkingAsRoot(String release) throws Exception {
    Path dir = Path.of("target", "etcd-tests", "auth-" + release).toAbsolutePath();
    cluster = new EtcdProcessCluster("a", dir, 220, release.equals("3.6") ? Binaries.etcd("etcd") : Binaries.etcd35("etcd"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(1, Duration.ofSeconds(60));
    List<String> urls = cluster.clientUrls();

    EtcdConnection anonymous = track(new EtcdConnection(urls, DEADLINE));
    DeclaredAuth declared = declared(Map.of("team-a", Set.of(EtcdPermission.prefix(EtcdPermission.Type.READWRITE, "/a/"))),
        Map.of("alice", new DeclaredAuth.User(Set.of("team-a"), ALICE_PASSWORD, true)));
    AuthExecutor.Result first = AuthExecutor.execute(anonymous.auth(),
        AuthPlanner.plan(declared, anonymous.auth().read(), ManagedAuth.NONE, false), ManagedAuth.NONE);
    assertThat(first.failure()).isEmpty();
    assertThat(first.done()).last().isInstanceOf(AuthOperation.EnableAuth.class);
    assertThat(first.managed().users()).contains("alice");
    assertThat(first.managed().roles()).containsExactly("team-a");

    Client nobody = track(client(urls, null, null));
    assertThatThrownBy(() -> put(nobody, "/a/x")).hasStackTraceContaining("user name is empty");

    EtcdConnection asRoot = track(new EtcdConnection(urls, DEADLINE, Optional.empty(),
        Optional.of(new EtcdCredential("root", ROOT_PASSWORD))));
    assertThat(asRoot.memberList().getMembers()).hasSize(1);
    assertThat(asRoot.statuses(urls)).hasSize(1);
    assertThat(asRoot.alarms()).isEmpty();
    assertThat(asRoot.hashKv(urls.get(0), 0).hash()).isNotZero();
    assertThat(asRoot.auth().read().users()).containsEntry("alice", Set.of("team-a")).containsKey("root");
    assertThat(asRoot.credentialRefusal()).isEmpty();

    Client alice = track(client(urls, "alice", ALICE_PASSWORD));
    put(alice, "/a/x");
    assertThat(alice.getKVClient().get(bytes("/a/x")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
    assertThatThrownBy(() -> put(alice, "/b/x")).hasStackTraceContaining("PERMISSION_DENIED");

    // the declaration changes: team-a may only read /a/ now
    DeclaredAuth readOnly = declared(Map.of("team-a", Set.of(EtcdPermission.prefix(EtcdPermission.Type.READ, "/a/"))),
        Map.of("alice", new DeclaredAuth.User(Set.of("team-a"), ALICE_PASSWORD, false)));
    AuthExecutor.Result second = AuthExecutor.execute(asRoot.auth(),
        AuthPlanner.plan(readOnly, asRoot.auth().read(), first.managed(), true), first.managed());
    assertThat(second.failure()).isEmpty();
    assertThat(second.done()).containsExactly(new AuthOperation.GrantPermission("team-a",
        EtcdPermission.prefix(EtcdPermission.Type.READ, "/a/")));
    assertThatThrownBy(() -> put(alice, "/a/y")).hasStackTraceContaining("PERMISSION_DENIED");
    assertThat(alice.getKVClient().get(bytes("/a/x")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
    assertThat(AuthPlanner.plan(readOnly, asRoot.auth().read(), second.managed(), true)).isEmpty();

    // alice and team-a are no longer declared: removed, root stays
    DeclaredAuth none = declared(Map.of(), Map.of());
    AuthExecutor.Result third = AuthExecutor.execute(asRoot.auth(),
        AuthPlanner.plan(none, asRoot.auth().read(), second.managed(), true), second.managed());
    assertThat(third.failure()).isEmpty();
    assertThat(third.done()).containsExactly(new AuthOperation.DeleteUser("alice"), new AuthOperation.DeleteRole("team-a"));
    assertThat(asRoot.auth().read().users()).containsOnlyKeys("root");
    Client aliceAgain = track(client(urls, "alice", ALICE_PASSWORD));
    assertThatThrownBy(() -> put(aliceAgain, "/a/z")).hasStackTraceContaining("authentication failed");

    EtcdConnection stale = track(new EtcdConnection(urls, DEADLINE, Optional.empty(),
        Optional.of(new EtcdCredential("root", "not-the-password"))));
    assertThat(stale.credentialRefusal()).hasValueSatisfying(refusal ->
        assertThat(refusal).contains("refused the user name or password").doesNotContain("not-the-password"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.6", "3.5"})
  void onTlsTheCertificatesCommonNameIsTheUser(String release) throws Exception {
    Path dir = Path.of("target", "etcd-tests", "auth-tls-" + release).toAbsolutePath();
    cluster = new EtcdProcessCluster("b", dir, 230, release.equals("3.6") ? Binaries.etcd("etcd") : Binaries.etcd35("etcd"));
    MemberCertificates certificates = new MemberCertificates();
    ClientTls operatorTls = certificates.applyTo(cluster, 1, dir.resolveSibling("auth-tls-" + release + "-certs"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(1, Duration.ofSeconds(60));
    List<String> urls = cluster.clientUrls();

    EtcdConnection operator = track(new EtcdConnection(urls, DEADLINE, Optional.of(operatorTls)));
    DeclaredAuth declared = new DeclaredAuth(Map.of(
        "root", new DeclaredAuth.User(Set.of("root"), ROOT_PASSWORD, false),
        "etcd-platform-operator", new DeclaredAuth.User(Set.of("root"), AuthSecrets.newPassword(), false)),
        Map.of("team-a", Set.of(EtcdPermission.prefix(EtcdPermission.Type.READWRITE, "/a/"))),
        Map.of("alice", new DeclaredAuth.User(Set.of("team-a"), ALICE_PASSWORD, true)), Set.of());
    AuthExecutor.Result result = AuthExecutor.execute(operator.auth(),
        AuthPlanner.plan(declared, operator.auth().read(), ManagedAuth.NONE, false), ManagedAuth.NONE);
    assertThat(result.failure()).isEmpty();

    // the same connection, no password: etcd takes the certificate's CN as the user (root role)
    assertThat(operator.memberList().getMembers()).hasSize(1);
    assertThat(operator.hashKv(urls.get(0), 0).hash()).isNotZero();
    assertThat(operator.auth().read().users()).containsKeys("root", "etcd-platform-operator", "alice");

    var authorities = Map.of("client-ca.crt", certificates.clientPlane().certificate().certificatePem(),
        "client-ca.key", certificates.clientPlane().certificate().keyPem());
    Map<String, String> files = UserCertificates.of(authorities, Map.of(), "alice", Duration.ofHours(2),
        Duration.ofHours(1), java.time.Instant.now()).orElseThrow();
    ClientTls aliceTls = new ClientTls(files.get("ca.crt"), files.get("tls.crt"), files.get("tls.key"));
    Client alice = track(Client.builder().endpoints(urls.stream().map(URI::create).toList())
        .sslContext(aliceTls.sslContext()).connectTimeout(DEADLINE).waitForReady(false).retryMaxAttempts(0).build());
    put(alice, "/a/x");
    assertThatThrownBy(() -> put(alice, "/b/x")).hasStackTraceContaining("PERMISSION_DENIED");
    assertThat(UserCertificates.of(authorities, files, "alice", Duration.ofHours(2), Duration.ofHours(1),
        java.time.Instant.now())).contains(files);
  }

  private static DeclaredAuth declared(Map<String, Set<EtcdPermission>> roles, Map<String, DeclaredAuth.User> users) {
    return new DeclaredAuth(Map.of("root", new DeclaredAuth.User(Set.of("root"), ROOT_PASSWORD, false)), roles, users,
        Set.of());
  }

  private static void put(Client client, String key) throws Exception {
    client.getKVClient().put(bytes(key), bytes("v")).get(10, TimeUnit.SECONDS);
  }

  private static Client client(List<String> urls, String user, String password) {
    var builder = Client.builder().endpoints(urls.stream().map(URI::create).toList())
        .connectTimeout(DEADLINE).waitForReady(false).retryMaxAttempts(0);
    if (user != null) {
      builder.user(bytes(user)).password(bytes(password));
    }
    return builder.build();
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
