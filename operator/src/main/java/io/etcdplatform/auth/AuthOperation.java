package io.etcdplatform.auth;

import io.etcdplatform.etcd.EtcdPermission;

/**
 * One change to a cluster's etcd auth. {@link #describe()} is what logs and Events say: it never
 * names a password, and neither does {@code toString}.
 */
public sealed interface AuthOperation {

  String describe();

  record AddRole(String role) implements AuthOperation {
    public String describe() {
      return "add role " + role;
    }
  }

  record GrantPermission(String role, EtcdPermission permission) implements AuthOperation {
    public String describe() {
      return "grant " + permission.describe() + " to role " + role;
    }
  }

  record RevokePermission(String role, EtcdPermission permission) implements AuthOperation {
    public String describe() {
      return "revoke " + permission.describe() + " from role " + role;
    }
  }

  record DeleteRole(String role) implements AuthOperation {
    public String describe() {
      return "delete role " + role;
    }
  }

  record AddUser(String user, String password) implements AuthOperation {
    public String describe() {
      return "add user " + user;
    }

    @Override
    public String toString() {
      return "AddUser[user=" + user + ", password redacted]";
    }
  }

  record ChangePassword(String user, String password) implements AuthOperation {
    public String describe() {
      return "set the password of user " + user;
    }

    @Override
    public String toString() {
      return "ChangePassword[user=" + user + ", password redacted]";
    }
  }

  record GrantRole(String user, String role) implements AuthOperation {
    public String describe() {
      return "grant role " + role + " to user " + user;
    }
  }

  record RevokeRole(String user, String role) implements AuthOperation {
    public String describe() {
      return "revoke role " + role + " from user " + user;
    }
  }

  record DeleteUser(String user) implements AuthOperation {
    public String describe() {
      return "delete user " + user;
    }
  }

  /** Last, once root holds the root role (etcd refuses to enable auth before). */
  record EnableAuth() implements AuthOperation {
    public String describe() {
      return "enable auth";
    }
  }
}
