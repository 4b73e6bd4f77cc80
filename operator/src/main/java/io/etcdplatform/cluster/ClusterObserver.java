package io.etcdplatform.cluster;

import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.etcd.EtcdCredential;
import io.etcdplatform.kube.ClusterHistory;
import io.etcdplatform.kube.KubernetesAccess;
import io.etcdplatform.kube.LostNodes;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.MemberObserver;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe: the member pods from the informer cache (and whether the Nodes of troubled ones are
 * lost), then etcd through the cluster's one cached connection (member list, each member's status),
 * and while a member may be added the member claims on their way out; every call with a deadline.
 */
final class ClusterObserver {

  private static final Logger log = LoggerFactory.getLogger(ClusterObserver.class);

  private final EtcdConnections connections;

  ClusterObserver(EtcdConnections connections) {
    this.connections = connections;
  }

  Observed observe(ClusterPass pass, Optional<ClientTls> tls, Optional<EtcdCredential> credential) {
    ClusterAccess access = KubernetesAccess.of(pass.cluster(), tls, credential);
    EtcdConnection etcd = connections.forCluster(access);
    var pods = MemberPodStates.of(pass.cluster(), pass.pods(), pass.statefulSet(), lostNodes(pass));
    ClusterObservation observed = MemberObserver.observe(etcd, access.addresses(),
        MemberObserver.Known.pods(pods, ClusterHistory.unhealthySince(pass.cluster()), pass.now()),
        ClusterHistory.formed(pass.cluster()));
    // the claims are read by one rule only, the scale-up's: listed only when a member may be added
    ClusterObservation observation = observed.reachable() && observed.members().size() < pass.desiredMembers()
        ? observed.withDataBeingDeleted(DataBeingDeleted.of(pass.cluster(), pass.claims())) : observed;
    Optional<String> credentialRefused = Optional.empty();
    if (!observation.reachable()) {
      credentialRefused = etcd.credentialRefusal();
      // a client whose name resolution or connections failed backs off for up to minutes (jetcd
      // #1616): start the next pass with a fresh one
      connections.close(access.key());
    }
    return new Observed(access, etcd, observation, credentialRefused);
  }

  /**
   * Asked of the API server (the client's request deadline) only for the Nodes of pods that are not
   * ready or are Terminating, so a settled cluster costs no call and the operator keeps no Node
   * informer (a watch on every Node of a large cluster) for what only a failure needs.
   */
  private static Set<String> lostNodes(ClusterPass pass) {
    return MemberPodStates.nodesOfTroubledPods(pass.pods()).stream()
        .filter(node -> lost(pass, node))
        .collect(Collectors.toSet());
  }

  /** Not known to be lost when Nodes may not be read (an operator watching some namespaces only). */
  private static boolean lost(ClusterPass pass, String node) {
    try {
      return LostNodes.lost(pass.client().nodes().withName(node).get());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      log.debug("{}: Node {} may not be read; taken as not lost", pass.name(), node);
      return false;
    }
  }
}
