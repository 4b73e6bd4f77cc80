package io.etcdplatform.auth;

import io.etcdplatform.api.v1alpha1.AuthRole;
import io.etcdplatform.etcd.EtcdPermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the cluster's auth must hold: the operator's own users (root, and on TLS the user of its
 * certificate's CN), the declared roles with their permissions, the declared users that can be
 * kept (their password known), and the declared users held as they are (their password cannot be
 * read now: neither changed nor removed).
 */
public record DeclaredAuth(Map<String, User> systemUsers, Map<String, Set<EtcdPermission>> roles,
    Map<String, User> users, Set<String> held) {

  /** The root role: etcd's own, full access; granted to the operator's users only. */
  public static final String ROOT_ROLE = "root";

  /**
   * @param passwordToSet the password etcd has is not (known to be) {@code password}: set it
   */
  public record User(Set<String> roles, String password, boolean passwordToSet) {

    public User {
      roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
      return "User[roles=" + roles + ", password redacted, passwordToSet=" + passwordToSet + "]";
    }
  }

  public DeclaredAuth {
    systemUsers = Map.copyOf(systemUsers);
    roles = Map.copyOf(roles);
    users = Map.copyOf(users);
    held = Set.copyOf(held);
  }

  /**
   * A role's permissions: one per prefix, a prefix both read and written (in two lists, or in
   * readWrite) is one readwrite permission, as etcd keeps one permission per key range.
   */
  public static Set<EtcdPermission> permissions(AuthRole role) {
    Map<String, Boolean[]> byPrefix = new TreeMap<>(); // [read, write]
    mark(byPrefix, role.getRead(), true, false);
    mark(byPrefix, role.getWrite(), false, true);
    mark(byPrefix, role.getReadWrite(), true, true);
    Map<String, EtcdPermission> permissions = new HashMap<>();
    byPrefix.forEach((prefix, rw) -> permissions.put(prefix, EtcdPermission.prefix(
        rw[0] && rw[1] ? EtcdPermission.Type.READWRITE : rw[0] ? EtcdPermission.Type.READ : EtcdPermission.Type.WRITE,
        prefix)));
    return Set.copyOf(permissions.values());
  }

  private static void mark(Map<String, Boolean[]> byPrefix, List<String> prefixes, boolean read, boolean write) {
    if (prefixes == null) {
      return;
    }
    for (String prefix : prefixes) {
      Boolean[] rw = byPrefix.computeIfAbsent(prefix, p -> new Boolean[] {false, false});
      rw[0] |= read;
      rw[1] |= write;
    }
  }
}
