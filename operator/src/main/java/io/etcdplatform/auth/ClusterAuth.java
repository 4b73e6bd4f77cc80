package io.etcdplatform.auth;

import io.etcdplatform.api.v1alpha1.AuthRole;
import io.etcdplatform.api.v1alpha1.AuthStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.etcd.AuthFailures;
import io.etcdplatform.etcd.EtcdAuthState;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.kube.OperatorCredentials;
import io.etcdplatform.tls.ClusterCertificates;
import io.etcdplatform.tls.UserCertificates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd auth of one formed cluster, kept as spec.auth declares it: root's Secret, the declared users'
 * passwords, etcd's users and roles read, planned ({@link AuthPlanner}) and changed
 * ({@link AuthExecutor}), auth enabled, then each declared user's Secret (what its application
 * mounts). The outcome is the status' auth and the {@code AuthReady} condition. No password reaches
 * a log line, an Event or the status.
 */
public final class ClusterAuth {

  public static final String CONDITION = "AuthReady";
  public static final String INVALID = "AuthInvalid";
  public static final String FAILED = "AuthFailed";
  static final String CHANGED = "AuthChanged";
  /** The one key of a removed user's Secret. */
  public static final String REMOVED = "removed";
  private static final Logger log = LoggerFactory.getLogger(ClusterAuth.class);

  /** What the status records. */
  public record Outcome(AuthStatus status, Condition condition) {}

  private ClusterAuth() {}

  public static Outcome keep(EtcdCluster cluster, KubernetesClient client, EtcdConnection etcd, ClusterEvents events,
      Instant now) {
    long generation = cluster.getMetadata().getGeneration();
    boolean enabled = OperatorCredentials.authEnabledInStatus(cluster);
    ManagedAuth managed = managed(cluster);
    String rootPassword = rootPassword(cluster, client);
    DeclaredUsers.Resolution users = DeclaredUsers.resolve(cluster, client);
    EtcdAuthState observed;
    try {
      observed = etcd.auth().read();
    } catch (EtcdUnavailableException e) {
      if (!enabled && AuthFailures.credentialMissing(e)) {
        // a pass that enabled auth ended before its status was written: the next signs in
        log.info("{}: etcd auth is on already; recorded", key(cluster));
        return new Outcome(status(true, managed), Conditions.of(CONDITION, false, "AuthEnabled",
            "etcd auth is on; the operator signs in with its own credential from the next pass", generation));
      }
      return failed(cluster, events, enabled, managed, "reading etcd's users and roles failed: " + e.getMessage(),
          generation);
    }
    DeclaredAuth declared = new DeclaredAuth(systemUsers(cluster, rootPassword), roles(cluster), users.users(),
        users.held());
    ManagedAuth stillManaged = AuthPlanner.stillManaged(managed, observed);
    List<AuthOperation> plan = AuthPlanner.plan(declared, observed, stillManaged, enabled);
    AuthExecutor.Result result = AuthExecutor.execute(etcd.auth(), plan, stillManaged);
    boolean enabledNow = enabled || result.done().stream().anyMatch(AuthOperation.EnableAuth.class::isInstance);
    if (!result.done().isEmpty()) {
      String done = result.done().stream().map(AuthOperation::describe).collect(Collectors.joining(", "));
      log.info("{}: etcd auth changed: {}", key(cluster), done);
      events.normal(cluster, CHANGED, truncate(done));
    }
    if (result.failure().isPresent()) {
      return failed(cluster, events, enabledNow, result.managed(), result.failure().get(), generation);
    }
    publishUsers(cluster, client, users, stillManaged.users(), now);
    AuthStatus status = status(enabledNow, result.managed());
    if (!users.problems().isEmpty()) {
      String message = String.join("; ", users.problems());
      log.warn("{}: spec.auth refused in part: {}", key(cluster), message);
      events.warningOnce(cluster, INVALID, message);
      return new Outcome(status, Conditions.of(CONDITION, false, INVALID, message, generation));
    }
    return new Outcome(status, Conditions.of(CONDITION, true, "AsDeclared", declared.roles().size() + " roles and "
        + declared.users().size() + " users as declared; Secrets " + cluster.getMetadata().getName()
        + "-user-<name> hold each user's access", generation));
  }

  private static Outcome failed(EtcdCluster cluster, ClusterEvents events, boolean enabled, ManagedAuth managed,
      String message, long generation) {
    log.warn("{}: etcd auth not as declared: {}", key(cluster), message);
    events.warningOnce(cluster, FAILED, message);
    return new Outcome(status(enabled, managed), Conditions.of(CONDITION, false, FAILED, message, generation));
  }

  /** root's password, made once and kept in {@code <cluster>-auth-root} before root exists in etcd. */
  private static String rootPassword(EtcdCluster cluster, KubernetesClient client) {
    String name = ClusterNames.authRootSecret(cluster);
    Map<String, String> current = AuthSecrets.data(AuthSecrets.get(client, cluster, name));
    String password = current.getOrDefault(OperatorCredentials.PASSWORD, "");
    if (password.isEmpty()) {
      password = AuthSecrets.newPassword();
    }
    Map<String, String> desired = new TreeMap<>(current);
    desired.put(OperatorCredentials.USERNAME, OperatorCredentials.ROOT);
    desired.put(OperatorCredentials.PASSWORD, password);
    desired.put("endpoints", ClusterNames.clientUrl(cluster));
    if (AuthSecrets.apply(client, cluster, name, AuthSecrets.ROOT_COMPONENT, current, desired)) {
      log.info("{}: Secret {} written", key(cluster), name);
    }
    return password;
  }

  /** root, and on TLS the user of the operator's certificate CN: both with the root role. */
  private static Map<String, DeclaredAuth.User> systemUsers(EtcdCluster cluster, String rootPassword) {
    Map<String, DeclaredAuth.User> users = new LinkedHashMap<>();
    users.put(OperatorCredentials.ROOT, new DeclaredAuth.User(Set.of(DeclaredAuth.ROOT_ROLE), rootPassword, false));
    if (cluster.getSpec().tlsEnabled()) {
      // etcd takes the CN of a client certificate as the user: its password is never used
      users.put(ClusterCertificates.OPERATOR_IDENTITY,
          new DeclaredAuth.User(Set.of(DeclaredAuth.ROOT_ROLE), AuthSecrets.newPassword(), false));
    }
    return users;
  }

  private static Map<String, Set<io.etcdplatform.etcd.EtcdPermission>> roles(EtcdCluster cluster) {
    Map<String, Set<io.etcdplatform.etcd.EtcdPermission>> roles = new TreeMap<>();
    for (AuthRole role : cluster.getSpec().getAuth().getRoles()) {
      roles.put(role.getName(), DeclaredAuth.permissions(role));
    }
    return roles;
  }

  /**
   * Each kept user's Secret (endpoints, username, password, on TLS its certificate). The Secret of a
   * user the operator created and removed keeps no credential: the operator may neither list nor
   * delete Secrets (its RBAC), so it is emptied to a note and goes with the cluster.
   */
  private static void publishUsers(EtcdCluster cluster, KubernetesClient client, DeclaredUsers.Resolution users,
      Set<String> managedUsers, Instant now) {
    Map<String, String> authorities = cluster.getSpec().tlsEnabled()
        ? AuthSecrets.data(AuthSecrets.get(client, cluster, ClusterNames.tlsAuthoritiesSecret(cluster))) : Map.of();
    for (var entry : users.users().entrySet()) {
      String user = entry.getKey();
      Map<String, String> current = users.published().getOrDefault(user, Map.of());
      Map<String, String> desired = new TreeMap<>();
      desired.put("endpoints", ClusterNames.clientUrl(cluster));
      desired.put(OperatorCredentials.USERNAME, user);
      desired.put(OperatorCredentials.PASSWORD, entry.getValue().password());
      if (cluster.getSpec().tlsEnabled()) {
        TlsSpec tls = cluster.getSpec().getTls();
        UserCertificates.of(authorities, current, user, Duration.ofHours(tls.getCertificateValidityHours()),
            Duration.ofHours(tls.getRenewBeforeHours()), now).ifPresent(desired::putAll);
      }
      String name = ClusterNames.userSecret(cluster, user);
      if (AuthSecrets.apply(client, cluster, name, AuthSecrets.USER_COMPONENT, current, desired)) {
        log.info("{}: Secret {} written for user {}", key(cluster), name, user);
      }
    }
    for (String user : new TreeSet<>(managedUsers)) {
      if (!users.users().containsKey(user) && !users.held().contains(user)) {
        Secret secret = AuthSecrets.get(client, cluster, ClusterNames.userSecret(cluster, user));
        if (secret != null && secret.hasOwnerReferenceFor(cluster.getMetadata().getUid())) {
          Map<String, String> removed = Map.of(REMOVED, "user " + user + " is no longer declared in spec.auth.users "
              + "and was removed from etcd");
          if (AuthSecrets.apply(client, cluster, secret.getMetadata().getName(), AuthSecrets.USER_COMPONENT,
              AuthSecrets.data(secret), removed)) {
            log.info("{}: Secret {} emptied (its user is no longer declared)", key(cluster), secret.getMetadata().getName());
          }
        }
      }
    }
  }

  private static ManagedAuth managed(EtcdCluster cluster) {
    AuthStatus status = cluster.getStatus() == null ? null : cluster.getStatus().getAuth();
    return status == null ? ManagedAuth.NONE : new ManagedAuth(Set.copyOf(status.getUsers()), Set.copyOf(status.getRoles()));
  }

  private static AuthStatus status(boolean enabled, ManagedAuth managed) {
    AuthStatus status = new AuthStatus();
    status.setEnabled(enabled);
    status.setUsers(new ArrayList<>(new TreeSet<>(managed.users())));
    status.setRoles(new ArrayList<>(new TreeSet<>(managed.roles())));
    return status;
  }

  private static String truncate(String message) {
    return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
  }

  private static String key(EtcdCluster cluster) {
    return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
  }
}
