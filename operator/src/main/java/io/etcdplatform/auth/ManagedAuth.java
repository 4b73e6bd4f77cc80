package io.etcdplatform.auth;

import java.util.Set;
import java.util.TreeSet;

/** The users and roles the operator created (status.auth): only these it ever removes. */
public record ManagedAuth(Set<String> users, Set<String> roles) {

  public static final ManagedAuth NONE = new ManagedAuth(Set.of(), Set.of());

  public ManagedAuth {
    users = Set.copyOf(users);
    roles = Set.copyOf(roles);
  }

  /** After {@code operation} was carried out. */
  ManagedAuth after(AuthOperation operation) {
    Set<String> u = new TreeSet<>(users);
    Set<String> r = new TreeSet<>(roles);
    if (operation instanceof AuthOperation.AddUser add) {
      u.add(add.user());
    } else if (operation instanceof AuthOperation.DeleteUser delete) {
      u.remove(delete.user());
    } else if (operation instanceof AuthOperation.AddRole add) {
      r.add(add.role());
    } else if (operation instanceof AuthOperation.DeleteRole delete) {
      r.remove(delete.role());
    }
    return new ManagedAuth(u, r);
  }
}
