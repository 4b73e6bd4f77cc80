package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd authentication. Its presence turns auth on: once the cluster formed, the operator creates
 * {@code root} (its password in the Secret {@code <cluster>-auth-root}), grants it the root role and
 * enables auth; the declared roles and users are then kept as declared (see docs/auth.md).
 */
@ValidationRule(value = "!has(self.roles) || self.roles.all(a, self.roles.exists_one(b, b.name == a.name))",
    message = "spec.auth.roles: each role name may be declared once", fieldPath = ".roles", reason = "FieldValueInvalid")
@ValidationRule(value = "!has(self.users) || self.users.all(a, self.users.exists_one(b, b.name == a.name))",
    message = "spec.auth.users: each user name may be declared once", fieldPath = ".users", reason = "FieldValueInvalid")
@ValidationRule(value = "!has(self.users) || self.users.all(u, !has(u.roles) || u.roles.all(r, has(self.roles) && self.roles.exists(x, x.name == r)))",
    message = "spec.auth.users[].roles may name only roles declared in spec.auth.roles: declare the role, or remove it from the user",
    fieldPath = ".users", reason = "FieldValueInvalid")
public class AuthSpec {

  @JsonPropertyDescription("Roles, each a set of key-prefix permissions. The role root is etcd's own and may not be declared.")
  @Size(max = 32)
  private List<AuthRole> roles = new ArrayList<>();

  @JsonPropertyDescription("Users, each with its roles and a password (from a Secret, or generated); each gets a "
      + "Secret <cluster>-user-<name> to mount (endpoints, username, password, and on a TLS cluster ca.crt, tls.crt, tls.key).")
  @Size(max = 32)
  private List<AuthUser> users = new ArrayList<>();

  public List<AuthRole> getRoles() {
    return roles;
  }

  public void setRoles(List<AuthRole> roles) {
    this.roles = roles == null ? new ArrayList<>() : roles;
  }

  public List<AuthUser> getUsers() {
    return users;
  }

  public void setUsers(List<AuthUser> users) {
    this.users = users == null ? new ArrayList<>() : users;
  }
}
