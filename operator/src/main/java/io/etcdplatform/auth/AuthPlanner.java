package io.etcdplatform.auth;

import io.etcdplatform.etcd.EtcdAuthState;
import io.etcdplatform.etcd.EtcdPermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pure: the etcd auth operations that bring what etcd holds to what is declared, in an order etcd
 * accepts: roles and their permissions, the operator's own users with the root role, the declared
 * users (added, password set, roles granted and revoked), the users and roles the operator created
 * that are no longer declared removed, and auth enabled last (etcd refuses it before root has the
 * root role). Never removes root, the operator's users, a held user, or anything it did not create.
 */
public final class AuthPlanner {

  private AuthPlanner() {}

  /**
   * @param enabled whether auth is known to be on (status.auth.enabled)
   */
  public static List<AuthOperation> plan(DeclaredAuth declared, EtcdAuthState observed, ManagedAuth managed,
      boolean enabled) {
    List<AuthOperation> operations = new ArrayList<>();
    new TreeMap<>(declared.roles()).forEach((role, permissions) -> role(operations, role, permissions, observed));
    new TreeMap<>(declared.systemUsers()).forEach((name, user) -> user(operations, name, user, observed, false));
    new TreeMap<>(declared.users()).forEach((name, user) -> user(operations, name, user, observed, true));
    for (String user : new TreeSet<>(managed.users())) {
      if (observed.users().containsKey(user) && !declared.users().containsKey(user) && !declared.held().contains(user)
          && !declared.systemUsers().containsKey(user)) {
        operations.add(new AuthOperation.DeleteUser(user));
      }
    }
    for (String role : new TreeSet<>(managed.roles())) {
      if (observed.roles().containsKey(role) && !declared.roles().containsKey(role) && !role.equals(DeclaredAuth.ROOT_ROLE)
          && !heldUsersUse(role, declared, observed)) {
        operations.add(new AuthOperation.DeleteRole(role));
      }
    }
    if (!enabled) {
      operations.add(new AuthOperation.EnableAuth());
    }
    return operations;
  }

  /** The managed names that are gone from etcd and no longer declared: the status forgets them. */
  public static ManagedAuth stillManaged(ManagedAuth managed, EtcdAuthState observed) {
    return new ManagedAuth(
        managed.users().stream().filter(observed.users()::containsKey).collect(java.util.stream.Collectors.toSet()),
        managed.roles().stream().filter(observed.roles()::containsKey).collect(java.util.stream.Collectors.toSet()));
  }

  private static void role(List<AuthOperation> operations, String role, Set<EtcdPermission> wanted,
      EtcdAuthState observed) {
    Set<EtcdPermission> current = observed.roles().get(role);
    if (current == null) {
      operations.add(new AuthOperation.AddRole(role));
      current = Set.of();
    }
    Map<String, EtcdPermission> currentByRange = byRange(current);
    Map<String, EtcdPermission> wantedByRange = byRange(wanted);
    // a grant on a range etcd has replaces its type: only ranges no longer wanted are revoked
    currentByRange.forEach((range, permission) -> {
      if (!wantedByRange.containsKey(range)) {
        operations.add(new AuthOperation.RevokePermission(role, permission));
      }
    });
    wantedByRange.forEach((range, permission) -> {
      if (!permission.equals(currentByRange.get(range))) {
        operations.add(new AuthOperation.GrantPermission(role, permission));
      }
    });
  }

  /** @param revokeOthers declared users hold exactly their roles; the operator's own keep any others a person gave */
  private static void user(List<AuthOperation> operations, String name, DeclaredAuth.User user, EtcdAuthState observed,
      boolean revokeOthers) {
    Set<String> current = observed.users().get(name);
    if (current == null) {
      operations.add(new AuthOperation.AddUser(name, user.password()));
      current = Set.of();
    } else if (user.passwordToSet()) {
      operations.add(new AuthOperation.ChangePassword(name, user.password()));
    }
    for (String role : new TreeSet<>(user.roles())) {
      if (!current.contains(role)) {
        operations.add(new AuthOperation.GrantRole(name, role));
      }
    }
    if (revokeOthers) {
      for (String role : new TreeSet<>(current)) {
        if (!user.roles().contains(role)) {
          operations.add(new AuthOperation.RevokeRole(name, role));
        }
      }
    }
  }

  private static boolean heldUsersUse(String role, DeclaredAuth declared, EtcdAuthState observed) {
    return declared.held().stream().anyMatch(user -> observed.users().getOrDefault(user, Set.of()).contains(role));
  }

  private static Map<String, EtcdPermission> byRange(Set<EtcdPermission> permissions) {
    Map<String, EtcdPermission> byRange = new TreeMap<>();
    permissions.forEach(p -> byRange.put(p.key() + "\u0000\u0000" + p.rangeEnd(), p));
    return byRange;
  }
}
