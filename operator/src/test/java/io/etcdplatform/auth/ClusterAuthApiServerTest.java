package io.etcdplatform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.AuthRole;
import io.etcdplatform.api.v1alpha1.AuthSpec;
import io.etcdplatform.api.v1alpha1.AuthUser;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.OperatorCredentials;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.Clusters;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.ApiServerTest;
import io.etcdplatform.testkit.Binaries;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One cluster's auth kept by {@link ClusterAuth} against a real kube-apiserver (its Secrets,
 * Events) and a real etcd 3.6: root's Secret, a generated password published in the user's Secret
 * and working inside its prefix only; a passwordSecretRef to a missing Secret holds that user
 * with AuthInvalid naming the field, and is created once the Secret exists; a user no longer
 * declared is removed and its Secret emptied; no password in any Event or in the status.
 */
class ClusterAuthApiServerTest extends ApiServerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private EtcdProcessCluster etcd;
  private MembershipDriver driver;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void usersAreKeptAsDeclaredWithTheirSecretsAndNoPasswordLeaks() throws Exception {
    etcd = new EtcdProcessCluster("authz", Path.of("target", "etcd-tests", "cluster-auth").toAbsolutePath(), 226,
        Binaries.etcd("etcd"));
    driver = new MembershipDriver(etcd, PlannerSettings.DEFAULTS);
    driver.converge(1, Duration.ofSeconds(60));
    List<String> urls = etcd.clientUrls();
    ClusterEvents events = new ClusterEvents(client, Clock.systemUTC());

    EtcdCluster cluster = Clusters.cluster("authz", 1);
    cluster.getMetadata().setNamespace(namespace);
    cluster.getMetadata().setUid(null);
    cluster.getMetadata().setGeneration(null);
    cluster.getSpec().setAuth(auth(List.of(user("alice", null), user("bob", new AuthUser.PasswordSecretRef("bob-pw", "password")))));
    cluster = client.resource(cluster).create();
    String uid = cluster.getMetadata().getUid();

    ClusterAuth.Outcome first = ClusterAuth.keep(cluster, client, track(new EtcdConnection(urls, DEADLINE)), events, Instant.now());

    assertThat(first.condition().getReason()).isEqualTo(ClusterAuth.INVALID);
    assertThat(first.condition().getMessage()).contains("spec.auth.users[1].passwordSecretRef: Secret bob-pw does not exist");
    assertThat(first.status().getEnabled()).isTrue();
    assertThat(first.status().getUsers()).contains("alice").doesNotContain("bob");
    String rootPassword = data(secret("authz-auth-root"), "password");
    Secret alice = secret("authz-user-alice");
    assertThat(alice.getMetadata().getOwnerReferences()).anyMatch(o -> o.getUid().equals(uid));
    assertThat(data(alice, "username")).isEqualTo("alice");
    assertThat(data(alice, "endpoints")).isEqualTo("http://authz-client." + namespace + ".svc:2379");
    String alicePassword = data(alice, "password");
    assertThat(secret("authz-user-bob")).isNull();
    Client asAlice = track(client(urls, "alice", alicePassword));
    put(asAlice, "/a/k");
    assertThatThrownBy(() -> put(asAlice, "/b/k")).hasStackTraceContaining("PERMISSION_DENIED");

    // the Secret appears: with the status the first pass wrote, the next signs in as root and creates bob
    client.resource(new SecretBuilder().withNewMetadata().withName("bob-pw").withNamespace(namespace).endMetadata()
        .withStringData(Map.of("password", "bob-password-1")).build()).create();
    cluster = withStatus(cluster, first);
    assertThat(OperatorCredentials.of(cluster, client)).hasValueSatisfying(c -> assertThat(c.user()).isEqualTo("root"));
    EtcdConnection asRoot = track(new EtcdConnection(urls, DEADLINE, java.util.Optional.empty(),
        OperatorCredentials.of(cluster, client)));
    ClusterAuth.Outcome second = ClusterAuth.keep(cluster, client, asRoot, events, Instant.now());
    assertThat(second.condition().getStatus()).as(second.condition().getMessage()).isEqualTo("True");
    assertThat(data(secret("authz-user-bob"), "password")).isEqualTo("bob-password-1");
    put(track(client(urls, "bob", "bob-password-1")), "/a/bob");
    assertThat(data(secret("authz-user-alice"), "password")).isEqualTo(alicePassword);

    // alice is no longer declared: gone from etcd with her Secret
    cluster = withStatus(cluster, second);
    cluster.getSpec().setAuth(auth(List.of(user("bob", new AuthUser.PasswordSecretRef("bob-pw", "password")))));
    cluster = client.resource(cluster).update();
    ClusterAuth.Outcome third = ClusterAuth.keep(cluster, client, asRoot, events, Instant.now());
    assertThat(third.condition().getStatus()).isEqualTo("True");
    assertThat(third.status().getUsers()).doesNotContain("alice");
    assertThat(asRoot.auth().read().users()).containsOnlyKeys("root", "bob");
    // the operator may not delete Secrets (its RBAC): the removed user's keeps no credential
    assertThat(secret("authz-user-alice").getData()).containsOnlyKeys(ClusterAuth.REMOVED);

    List<Event> recorded = client.v1().events().inNamespace(namespace).list().getItems();
    assertThat(recorded).anyMatch(e -> ClusterAuth.INVALID.equals(e.getReason()) && "Warning".equals(e.getType()));
    assertThat(recorded).anyMatch(e -> "AuthChanged".equals(e.getReason()));
    String everything = recorded.stream().map(Event::getMessage).reduce("", String::concat)
        + client.resource(cluster).get().toString() + first + second + third;
    assertThat(everything).doesNotContain(rootPassword, alicePassword, "bob-password-1");
  }

  private EtcdCluster withStatus(EtcdCluster cluster, ClusterAuth.Outcome outcome) {
    EtcdCluster current = client.resource(cluster).get();
    EtcdClusterStatus status = current.getStatus() == null ? new EtcdClusterStatus() : current.getStatus();
    status.setAuth(outcome.status());
    current.setStatus(status);
    return client.resource(current).patchStatus();
  }

  private static AuthSpec auth(List<AuthUser> users) {
    AuthRole role = new AuthRole();
    role.setName("team-a");
    role.setReadWrite(List.of("/a/"));
    AuthSpec auth = new AuthSpec();
    auth.setRoles(List.of(role));
    auth.setUsers(users);
    return auth;
  }

  private static AuthUser user(String name, AuthUser.PasswordSecretRef ref) {
    AuthUser user = new AuthUser();
    user.setName(name);
    user.setRoles(List.of("team-a"));
    user.setPasswordSecretRef(ref);
    return user;
  }

  private static Secret secret(String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  private static String data(Secret secret, String key) {
    return OperatorCredentials.value(secret, key).orElseThrow();
  }

  private static void put(Client c, String key) throws Exception {
    c.getKVClient().put(bytes(key), bytes("v")).get(10, TimeUnit.SECONDS);
  }

  private static Client client(List<String> urls, String user, String password) {
    return Client.builder().endpoints(urls.stream().map(URI::create).toList()).connectTimeout(DEADLINE)
        .waitForReady(false).retryMaxAttempts(0).user(bytes(user)).password(bytes(password)).build();
  }

  private <T extends AutoCloseable> T track(T c) {
    clients.add(c);
    return c;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
