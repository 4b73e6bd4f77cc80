package io.etcdplatform.auth;

import io.etcdplatform.etcd.EtcdAuthCalls;
import io.etcdplatform.etcd.EtcdUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries out planned auth operations in order through etcd, each within the connection's deadline,
 * stopping at the first refusal (the next pass plans again from what etcd then holds).
 */
public final class AuthExecutor {

  /**
   * @param done the operations carried out, in order
   * @param managed what the operator created, after them
   * @param failure what etcd refused, naming the operation (never a password)
   */
  public record Result(List<AuthOperation> done, ManagedAuth managed, Optional<String> failure) {}

  private AuthExecutor() {}

  public static Result execute(EtcdAuthCalls etcd, List<AuthOperation> operations, ManagedAuth managed) {
    List<AuthOperation> done = new ArrayList<>();
    ManagedAuth now = managed;
    for (AuthOperation operation : operations) {
      try {
        apply(etcd, operation);
      } catch (EtcdUnavailableException e) {
        return new Result(done, now, Optional.of(operation.describe() + " failed: " + e.getMessage()));
      }
      done.add(operation);
      now = now.after(operation);
    }
    return new Result(done, now, Optional.empty());
  }

  private static void apply(EtcdAuthCalls etcd, AuthOperation operation) {
    if (operation instanceof AuthOperation.AddRole o) {
      etcd.addRole(o.role());
    } else if (operation instanceof AuthOperation.GrantPermission o) {
      etcd.grantPermission(o.role(), o.permission());
    } else if (operation instanceof AuthOperation.RevokePermission o) {
      etcd.revokePermission(o.role(), o.permission());
    } else if (operation instanceof AuthOperation.DeleteRole o) {
      etcd.deleteRole(o.role());
    } else if (operation instanceof AuthOperation.AddUser o) {
      etcd.addUser(o.user(), o.password());
    } else if (operation instanceof AuthOperation.ChangePassword o) {
      etcd.changePassword(o.user(), o.password());
    } else if (operation instanceof AuthOperation.GrantRole o) {
      etcd.grantRole(o.user(), o.role());
    } else if (operation instanceof AuthOperation.RevokeRole o) {
      etcd.revokeRole(o.user(), o.role());
    } else if (operation instanceof AuthOperation.DeleteUser o) {
      etcd.deleteUser(o.user());
    } else if (operation instanceof AuthOperation.EnableAuth) {
      etcd.enable();
    }
  }
}
