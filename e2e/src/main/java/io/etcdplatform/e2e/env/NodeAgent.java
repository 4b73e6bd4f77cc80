package io.etcdplatform.e2e.env;

import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.LoopbackLane;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in for a kubelet on each of its Nodes (and a scheduler, and a local-volume
 * provisioner): registers the Nodes and keeps their heartbeats (a Lease renewed every 2 s, the
 * Ready condition's heartbeat every 10 s, as a kubelet does), binds pods across them
 * ({@link NodeChoice}), provisions a directory per claim, runs each pod's containers as processes
 * with their own loopback IP ({@link PodRuntime}), keeps the cluster hosts file, and completes pod
 * deletions. A Node can be lost ({@link #loseNode}): its pods' processes are killed and nothing
 * reports for it again. A level-triggered loop every 500 ms; every process it starts is stopped by
 * its own handle in {@link #close()}.
 */
public final class NodeAgent implements AutoCloseable {

  public static final String NODE = "local-node";
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  private static final String PROVISIONED = "etcdplatform.io/local-volume";

  private final KubernetesClient client;
  private final Path workDir;
  private final HostsFile hosts;
  private final ImageResolver images;
  private final Volumes volumes;
  private final List<String> nodes;
  private final Set<String> lostNodes = ConcurrentHashMap.newKeySet();
  private final Map<String, PodRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<String, String> nodeOfRuntime = new ConcurrentHashMap<>();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextIp = new AtomicInteger(0);
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final Thread loop;
  private final Thread heartbeats;
  private volatile boolean running = true;

  /** @param caCertificate the API server's CA certificate, for pods' service-account volumes */
  public NodeAgent(KubernetesClient client, Path workDir, Path caCertificate) throws IOException {
    this(client, workDir, caCertificate, List.of(NODE));
  }

  /** @param nodes the names of the Nodes it registers and runs pods on */
  public NodeAgent(KubernetesClient client, Path workDir, Path caCertificate, List<String> nodes) throws IOException {
    this.client = client;
    this.nodes = List.copyOf(nodes);
    this.workDir = workDir;
    this.hosts = new HostsFile(workDir.resolve("hosts"));
    this.images = new ImageResolver(workDir.resolve("images"));
    this.volumes = new Volumes(client, caCertificate);
    this.nodes.forEach(this::registerNode);
    this.pods = client.pods().inAnyNamespace().inform();
    this.services = client.services().inAnyNamespace().inform();
    this.loop = new Thread(this::run, "node-agent");
    this.loop.setDaemon(true);
    this.loop.start();
    this.heartbeats = new Thread(this::beat, "node-heartbeats");
    this.heartbeats.setDaemon(true);
    this.heartbeats.start();
  }

  public List<String> nodes() {
    return nodes;
  }

  /**
   * Failure injection: the Node is lost, as when its machine stops. Its pods' processes are killed
   * (SIGKILL, no grace), its Lease and status are no longer renewed, and nothing on it completes a
   * deletion or starts a pod again: kube-controller-manager's node-lifecycle controller marks it
   * not ready and taints it, taint-based eviction makes its pods Terminating, and they stay so.
   */
  public void loseNode(String node) {
    if (!nodes.contains(node)) {
      throw new IllegalArgumentException("no node " + node + " here: " + nodes);
    }
    lostNodes.add(node);
    nodeOfRuntime.entrySet().stream().filter(e -> node.equals(e.getValue())).map(Map.Entry::getKey).toList()
        .forEach(uid -> {
          PodRuntime runtime = runtimes.remove(uid);
          nodeOfRuntime.remove(uid);
          if (runtime != null) {
            runtime.terminate(Duration.ZERO);
          }
        });
    log.info("node {} is lost: its pods' processes are killed and it sends no heartbeat", node);
  }

  private boolean live(String node) {
    return nodes.contains(node) && !lostNodes.contains(node);
  }

  private void beat() {
    long beats = 0;
    while (running) {
      for (String node : nodes) {
        if (!lostNodes.contains(node)) {
          try {
            renewLease(node);
            if (beats % 5 == 0) {
              reportReady(node);
            }
          } catch (KubernetesClientException e) {
            log.warn("heartbeat of node {} failed: {}", node, e.getMessage());
          }
        }
      }
      beats++;
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void renewLease(String node) {
    var now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    var leases = client.leases().inNamespace("kube-node-lease");
    var lease = leases.withName(node).get();
    if (lease == null) {
      leases.resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
          .withNewMetadata().withName(node).endMetadata()
          .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(now).endSpec()
          .build()).create();
    } else {
      lease.getSpec().setRenewTime(now);
      leases.resource(lease).update();
    }
  }

  /** The cluster-wide hosts file; JVMs that talk to members use it through -Djdk.net.hosts.file. */
  public Path hostsFile() {
    return hosts.path();
  }

  private void registerNode(String name) {
    client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
        .build()).createOr(existing -> existing.update());
    reportReady(name);
  }

  /** The Node's status with a fresh heartbeat on its Ready condition, as a kubelet posts it. */
  private void reportReady(String name) {
    // the node-lifecycle controller writes the Node too (its taints, at its start): a conflict is retried
    for (int attempt = 1; ; attempt++) {
      try {
        postReady(name);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private void postReady(String name) {
    String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    var node = client.nodes().withName(name).get();
    node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
        .addNewCondition().withType("Ready").withStatus("True").withReason("LocalNodeAgent")
          .withLastHeartbeatTime(now).withLastTransitionTime(readySince(node, now))
          .withMessage("the etcd-platform node agent runs pods as local processes").endCondition()
        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .withCapacity(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("500")))
        .withAllocatable(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("500")))
        .build());
    client.nodes().resource(node).updateStatus();
  }

  private static String readySince(io.fabric8.kubernetes.api.model.Node node, String now) {
    return node.getStatus() == null || node.getStatus().getConditions() == null ? now
        : node.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
            .map(c -> c.getLastTransitionTime()).filter(java.util.Objects::nonNull).findFirst().orElse(now);
  }

  private void run() {
    while (running) {
      try {
        sync();
      } catch (RuntimeException e) {
        log.warn("node agent pass failed: {}", e.toString());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sync() {
    provisionVolumes();
    reclaimVolumes();
    List<Pod> all = pods.getStore().list();
    Set<String> present = all.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    List<PodRuntime> starting = new java.util.ArrayList<>();
    List<Pod> bound = all.stream().filter(p -> p.getSpec().getNodeName() != null
        && !p.getSpec().getNodeName().isEmpty()).collect(Collectors.toCollection(java.util.ArrayList::new));
    for (Pod pod : all) {
      String node = pod.getSpec().getNodeName();
      boolean unbound = node == null || node.isEmpty();
      if (!unbound && !live(node)) {
        continue; // a lost node's kubelet completes nothing, starts nothing
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        finishDeletion(pod);
      } else if (unbound) {
        bind(pod, bound);
      } else if (!runtimes.containsKey(pod.getMetadata().getUid())) {
        starting.add(prepare(pod));
      }
    }
    runtimes.keySet().stream().filter(uid -> !present.contains(uid)).toList()
        .forEach(uid -> {
          nodeOfRuntime.remove(uid);
          runtimes.remove(uid).terminate(Duration.ofSeconds(5));
        });
    try {
      Map<String, String> ips = runtimes.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().ip()));
      hosts.update(all, ips, services.getStore().list(), NodeAgent::ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    starting.forEach(PodRuntime::start); // after their names are in the hosts file
  }

  /** To a live Node ({@link NodeChoice}); the pod then counts as bound there for the next pod this pass. */
  private void bind(Pod pod, List<Pod> bound) {
    var node = NodeChoice.of(pod, nodes.stream().filter(this::live).toList(), bound);
    if (node.isEmpty() || claimMissingOrDeleted(pod)) {
      return; // Pending, as the scheduler leaves a pod no Node fits
    }
    try {
      client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder()
          .withNewMetadata().withName(pod.getMetadata().getName()).endMetadata()
          .withNewTarget().withApiVersion("v1").withKind("Node").withName(node.get()).endTarget()
          .build()).create();
      bound.add(new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().withNodeName(node.get()).endSpec()
          .build());
    } catch (KubernetesClientException e) {
      log.debug("binding {} failed: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * As the scheduler's volume binding: a pod whose claim is missing or being deleted stays Pending
   * (the StatefulSet controller creates the claim again), so a replaced member never starts on the
   * claim its predecessor's data is still in.
   */
  private boolean claimMissingOrDeleted(Pod pod) {
    return pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
            .withName(v.getPersistentVolumeClaim().getClaimName()).get())
        .anyMatch(claim -> claim == null || claim.getMetadata().getDeletionTimestamp() != null);
  }

  private PodRuntime prepare(Pod pod) {
    int n = nextIp.getAndIncrement();
    String ip = LoopbackLane.address(1 + n / 250, 2 + n % 250);
    Path podDir = workDir.resolve("pods").resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName()
        + "_" + pod.getMetadata().getUid());
    try {
      Files.createDirectories(podDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PodRuntime runtime = new PodRuntime(client, pod, ip, podDir, hosts, images, volumes);
    runtimes.put(pod.getMetadata().getUid(), runtime);
    nodeOfRuntime.put(pod.getMetadata().getUid(), pod.getSpec().getNodeName());
    log.info("running {}/{} on {} at {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getSpec().getNodeName(), ip);
    return runtime;
  }

  /** SIGTERM, the grace period, SIGKILL, then the deletion is completed (grace 0), off the loop thread. */
  private void finishDeletion(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (!terminating.add(uid)) {
      return;
    }
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 30 : pod.getMetadata().getDeletionGracePeriodSeconds();
    Thread stopper = new Thread(() -> {
      nodeOfRuntime.remove(uid);
      PodRuntime runtime = runtimes.remove(uid);
      if (runtime != null) {
        runtime.terminate(Duration.ofSeconds(grace));
      }
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        log.debug("completing deletion of {}: {}", pod.getMetadata().getName(), e.getMessage());
      } finally {
        terminating.remove(uid);
      }
    }, "stop-" + pod.getMetadata().getName());
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Every pending claim gets a directory as a local PersistentVolume, pre-bound to it. */
  private void provisionVolumes() {
    for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      if (claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty()) {
        continue;
      }
      String name = "local-" + claim.getMetadata().getUid();
      if (client.persistentVolumes().withName(name).get() != null) {
        continue; // provisioned, not yet bound by the persistent-volume controller
      }
      Path dir = workDir.resolve("volumes").resolve(name);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client.persistentVolumes().resource(new PersistentVolumeBuilder()
          .withNewMetadata().withName(name).addToLabels(PROVISIONED, "true").endMetadata()
          .withNewSpec()
            .withCapacity(Map.of("storage", claim.getSpec().getResources().getRequests().get("storage")))
            .withAccessModes(claim.getSpec().getAccessModes())
            .withStorageClassName(claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName())
            .withPersistentVolumeReclaimPolicy("Delete")
            .withVolumeMode("Filesystem")
            .withNewHostPath().withPath(dir.toString()).withType("Directory").endHostPath()
            .withNewClaimRef().withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
              .withUid(claim.getMetadata().getUid()).endClaimRef()
          .endSpec()
          .build()).create();
    }
  }

  /** A released local volume is deleted with its data (reclaim policy Delete). */
  private void reclaimVolumes() {
    for (PersistentVolume pv : client.persistentVolumes().withLabel(PROVISIONED).list().getItems()) {
      String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
      if ("Released".equals(phase) || "Failed".equals(phase)) {
        Directories.deleteRecursively(Path.of(pv.getSpec().getHostPath().getPath()));
        client.persistentVolumes().resource(pv).delete();
      }
    }
  }

  // failure injection

  public void crash(String namespace, String pod, String container) {
    runtime(namespace, pod).crash(container);
  }

  public void pause(String namespace, String pod, boolean paused) throws IOException, InterruptedException {
    runtime(namespace, pod).pause(paused);
  }

  /** Deletes the contents of the pod's claim directory (the pod keeps running on an emptied disk). */
  public void wipeClaim(String namespace, String claim) {
    PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    Path dir = Path.of(pv.getSpec().getHostPath().getPath());
    try (Stream<Path> children = Files.list(dir)) {
      children.forEach(Directories::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PodRuntime runtime(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    PodRuntime runtime = pod == null ? null : runtimes.get(pod.getMetadata().getUid());
    if (runtime == null) {
      throw new IllegalStateException("pod " + namespace + "/" + name + " does not run here");
    }
    return runtime;
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }



  @Override
  public void close() {
    running = false;
    loop.interrupt();
    heartbeats.interrupt();
    runtimes.values().forEach(r -> r.terminate(Duration.ofSeconds(5)));
    runtimes.clear();
    pods.close();
    services.close();
  }
}
