package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A user of the cluster: its roles, and where its password comes from. */
@ValidationRule(value = "self.name != 'root' && self.name != 'etcd-platform-operator'",
    message = "spec.auth.users[].name: root and etcd-platform-operator are the operator's own users; choose another name",
    fieldPath = ".name", reason = "FieldValueForbidden")
public class AuthUser {

  @JsonPropertyDescription("The user's name in etcd, lowercase letters, digits and dashes (on a TLS cluster also the CN of the client certificate the operator issues for it).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = 64)
  private String name;

  @JsonPropertyDescription("The Secret key (in the cluster's namespace) holding the user's password. When unset the operator generates one.")
  private PasswordSecretRef passwordSecretRef;

  @JsonPropertyDescription("Roles granted to the user; each must be declared in spec.auth.roles.")
  @Size(max = 16)
  private List<String> roles = new ArrayList<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public PasswordSecretRef getPasswordSecretRef() {
    return passwordSecretRef;
  }

  public void setPasswordSecretRef(PasswordSecretRef passwordSecretRef) {
    this.passwordSecretRef = passwordSecretRef;
  }

  public List<String> getRoles() {
    return roles;
  }

  public void setRoles(List<String> roles) {
    this.roles = roles == null ? new ArrayList<>() : roles;
  }

  /** A key of a Secret in the cluster's namespace. */
  public static class PasswordSecretRef {

    @JsonPropertyDescription("Name of the Secret.")
    @Required
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("Key in the Secret's data.")
    @Required
    @Size(max = 253)
    private String key;

    public PasswordSecretRef() {}

    public PasswordSecretRef(String name, String key) {
      this.name = name;
      this.key = key;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}
