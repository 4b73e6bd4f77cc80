package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the operator did to the cluster's auth: whether it enabled it, and the users and roles it created. */
public class AuthStatus {

  @JsonPropertyDescription("True once the operator enabled etcd auth on the cluster.")
  private Boolean enabled;

  @JsonPropertyDescription("Users the operator created (it removes them when no longer declared; users it did not create it never removes).")
  private List<String> users = new ArrayList<>();

  @JsonPropertyDescription("Roles the operator created (removed when no longer declared).")
  private List<String> roles = new ArrayList<>();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getUsers() {
    return users;
  }

  public void setUsers(List<String> users) {
    this.users = users == null ? new ArrayList<>() : users;
  }

  public List<String> getRoles() {
    return roles;
  }

  public void setRoles(List<String> roles) {
    this.roles = roles == null ? new ArrayList<>() : roles;
  }
}
