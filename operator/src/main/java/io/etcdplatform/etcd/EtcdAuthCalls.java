package io.etcdplatform.etcd;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * etcd's auth API through one connection, each call within the connection's deadline. Passwords
 * go to etcd only: no message here names one.
 */
public final class EtcdAuthCalls {

  private final EtcdConnection connection;
  private final Auth auth;

  EtcdAuthCalls(EtcdConnection connection, Auth auth) {
    this.connection = connection;
    this.auth = auth;
  }

  /** Every user with its roles and every role with its permissions: one call per user and role. */
  public EtcdAuthState read() {
    Map<String, Set<String>> users = new LinkedHashMap<>();
    for (String user : connection.call("list users", auth::userList).getUsers()) {
      users.put(user, Set.copyOf(connection.call("get user " + user, () -> auth.userGet(bytes(user))).getRoles()));
    }
    Map<String, Set<EtcdPermission>> roles = new LinkedHashMap<>();
    for (String role : connection.call("list roles", auth::roleList).getRoles()) {
      Set<EtcdPermission> permissions = new HashSet<>();
      for (Permission p : connection.call("get role " + role, () -> auth.roleGet(bytes(role))).getPermissions()) {
        permissions.add(new EtcdPermission(type(p.getPermType()), EtcdPermission.latin1(p.getKey().getBytes()),
            EtcdPermission.latin1(p.getRangeEnd().getBytes())));
      }
      roles.put(role, Set.copyOf(permissions));
    }
    return new EtcdAuthState(users, roles);
  }

  public void addUser(String user, String password) {
    connection.call("add user " + user, () -> auth.userAdd(bytes(user), bytes(password)));
  }

  public void changePassword(String user, String password) {
    connection.call("change the password of user " + user, () -> auth.userChangePassword(bytes(user), bytes(password)));
  }

  public void deleteUser(String user) {
    connection.call("delete user " + user, () -> auth.userDelete(bytes(user)));
  }

  public void grantRole(String user, String role) {
    connection.call("grant role " + role + " to user " + user, () -> auth.userGrantRole(bytes(user), bytes(role)));
  }

  public void revokeRole(String user, String role) {
    connection.call("revoke role " + role + " from user " + user, () -> auth.userRevokeRole(bytes(user), bytes(role)));
  }

  public void addRole(String role) {
    connection.call("add role " + role, () -> auth.roleAdd(bytes(role)));
  }

  public void deleteRole(String role) {
    connection.call("delete role " + role, () -> auth.roleDelete(bytes(role)));
  }

  public void grantPermission(String role, EtcdPermission permission) {
    connection.call("grant " + permission.describe() + " to role " + role, () -> auth.roleGrantPermission(bytes(role),
        ByteSequence.from(permission.keyBytes()), ByteSequence.from(permission.rangeEndBytes()), jetcdType(permission.type())));
  }

  public void revokePermission(String role, EtcdPermission permission) {
    connection.call("revoke " + permission.describe() + " from role " + role, () -> auth.roleRevokePermission(bytes(role),
        ByteSequence.from(permission.keyBytes()), ByteSequence.from(permission.rangeEndBytes())));
  }

  public void enable() {
    connection.call("enable auth", auth::authEnable);
  }

  private static EtcdPermission.Type type(Permission.Type type) {
    return switch (type) {
      case READ -> EtcdPermission.Type.READ;
      case WRITE -> EtcdPermission.Type.WRITE;
      default -> EtcdPermission.Type.READWRITE;
    };
  }

  private static Permission.Type jetcdType(EtcdPermission.Type type) {
    return switch (type) {
      case READ -> Permission.Type.READ;
      case WRITE -> Permission.Type.WRITE;
      case READWRITE -> Permission.Type.READWRITE;
    };
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
