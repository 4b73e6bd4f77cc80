package io.etcdplatform.etcd;

import java.util.Map;
import java.util.Set;

/** A cluster's users (with their roles) and roles (with their permissions), as etcd lists them. */
public record EtcdAuthState(Map<String, Set<String>> users, Map<String, Set<EtcdPermission>> roles) {

  public EtcdAuthState {
    users = Map.copyOf(users);
    roles = Map.copyOf(roles);
  }
}
