package io.etcdplatform.auth;

import io.etcdplatform.api.v1alpha1.AuthUser;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.OperatorCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared users with their passwords: from the referenced Secret key, else the one the
 * operator generated earlier (kept in the user's own Secret), else a new one. A reference the
 * operator cannot read holds the user as it is and is a problem naming the field and the fix.
 */
final class DeclaredUsers {

  /**
   * @param users the users that can be kept as declared
   * @param held users whose password cannot be read now: left as they are
   * @param problems what a person must fix, each naming the field
   * @param published what each user's Secret holds now, by user
   */
  record Resolution(Map<String, DeclaredAuth.User> users, Set<String> held, List<String> problems,
      Map<String, Map<String, String>> published) {}

  private DeclaredUsers() {}

  static Resolution resolve(EtcdCluster cluster, KubernetesClient client) {
    Map<String, DeclaredAuth.User> users = new LinkedHashMap<>();
    Set<String> held = new HashSet<>();
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, String>> published = new LinkedHashMap<>();
    List<AuthUser> declared = cluster.getSpec().getAuth().getUsers();
    for (int i = 0; i < declared.size(); i++) {
      AuthUser user = declared.get(i);
      Map<String, String> current = AuthSecrets.data(AuthSecrets.get(client, cluster, ClusterNames.userSecret(cluster, user.getName())));
      published.put(user.getName(), current);
      Optional<String> kept = Optional.ofNullable(current.get(OperatorCredentials.PASSWORD));
      Set<String> roles = Set.copyOf(user.getRoles());
      if (user.getPasswordSecretRef() == null) {
        String password = kept.orElseGet(AuthSecrets::newPassword);
        users.put(user.getName(), new DeclaredAuth.User(roles, password, kept.isEmpty()));
        continue;
      }
      String field = "spec.auth.users[" + i + "].passwordSecretRef";
      var ref = user.getPasswordSecretRef();
      Secret source = AuthSecrets.get(client, cluster, ref.getName());
      Optional<String> password = OperatorCredentials.value(source, ref.getKey());
      if (source == null) {
        problems.add(field + ": Secret " + ref.getName() + " does not exist in namespace "
            + cluster.getMetadata().getNamespace() + "; create it with the key " + ref.getKey()
            + ", or remove passwordSecretRef to have the operator generate a password (user " + user.getName()
            + " is left as it is)");
        held.add(user.getName());
      } else if (password.isEmpty() || password.get().isEmpty()) {
        problems.add(field + ": Secret " + ref.getName() + " has no non-empty key " + ref.getKey()
            + "; add the key, or point passwordSecretRef.key at the key that holds the password (user "
            + user.getName() + " is left as it is)");
        held.add(user.getName());
      } else {
        users.put(user.getName(), new DeclaredAuth.User(roles, password.get(), !password.equals(kept)));
      }
    }
    return new Resolution(users, held, problems, published);
  }
}
