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
 * The stand-in for a kubelet (and a scheduler, and a local-volume provisioner) on one Node:
 * binds pods to itself, provisions a directory per claim, runs each pod's containers as
 * processes with their own loopback IP ({@link PodRuntime}), keeps the cluster hosts file, and
 * completes pod deletions. A level-triggered loop every 500 ms; every process it starts is
 * stopped by its own handle in {@link #close()}.
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
  private final Map<String, PodRuntime> runtimes = new ConcurrentHashMap<>();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextIp = new AtomicInteger(0);
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final Thread loop;
  private volatile boolean running = true;

  /** @param caCertificate the API server's CA certificate, for pods' service-account volumes */
  public NodeAgent(KubernetesClient client, Path workDir, Path caCertificate) throws IOException {
    this.client = client;
    this.workDir = workDir;
    this.hosts = new HostsFile(workDir.resolve("hosts"));
    this.images = new ImageResolver(workDir.resolve("images"));
    this.volumes = new Volumes(client, caCertificate);
    registerNode();
    this.pods = client.pods().inAnyNamespace().inform();
    this.services = client.services().inAnyNamespace().inform();
    this.loop = new Thread(this::run, "node-agent");
    this.loop.setDaemon(true);
    this.loop.start();
  }

  /** The cluster-wide hosts file; JVMs that talk to members use it through -Djdk.net.hosts.file. */
  public Path hostsFile() {
    return hosts.path();
  }

  private void registerNode() {
    client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(NODE).addToLabels("kubernetes.io/hostname", NODE).endMetadata()
        .build()).createOr(existing -> existing.update());
    var node = client.nodes().withName(NODE).get();
    node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
        .addNewCondition().withType("Ready").withStatus("True").withReason("LocalNodeAgent")
          .withMessage("the etcd-platform node agent runs pods as local processes").endCondition()
        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
        .addNewAddress().withType("Hostname").withAddress(NODE).endAddress()
        .withCapacity(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("500")))
        .withAllocatable(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("500")))
        .build());
    client.nodes().resource(node).updateStatus();
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
    for (Pod pod : all) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        finishDeletion(pod);
      } else if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
        bind(pod);
      } else if (NODE.equals(pod.getSpec().getNodeName()) && !runtimes.containsKey(pod.getMetadata().getUid())) {
        starting.add(prepare(pod));
      }
    }
    runtimes.keySet().stream().filter(uid -> !present.contains(uid)).toList()
        .forEach(uid -> runtimes.remove(uid).terminate(Duration.ofSeconds(5)));
    try {
      Map<String, String> ips = runtimes.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().ip()));
      hosts.update(all, ips, services.getStore().list(), NodeAgent::ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    starting.forEach(PodRuntime::start); // after their names are in the hosts file
  }

  private void bind(Pod pod) {
    try {
      client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder()
          .withNewMetadata().withName(pod.getMetadata().getName()).endMetadata()
          .withNewTarget().withApiVersion("v1").withKind("Node").withName(NODE).endTarget()
          .build()).create();
    } catch (KubernetesClientException e) {
      log.debug("binding {} failed: {}", pod.getMetadata().getName(), e.getMessage());
    }
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
    log.info("running {}/{} on {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), ip);
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
    runtimes.values().forEach(r -> r.terminate(Duration.ofSeconds(5)));
    runtimes.clear();
    pods.close();
    services.close();
  }
}
