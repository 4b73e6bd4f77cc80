package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pod's container as a process in its own mount namespace ({@code unshare}) running its
 * {@link MountScript}: its image's files and the pod's volumes mounted, the environment a kubelet
 * gives it, as the user its spec declares ({@link ProcessIdentities}) in its own memory cgroup
 * ({@link MemoryCgroup}), its output appended to {@code <container>.log} in the pod's directory.
 */
final class ContainerLauncher {

  private static final Logger log = LoggerFactory.getLogger(ContainerLauncher.class);

  private final KubernetesClient client;
  private final Pod pod;
  private final String ip;
  private final Path podDir;
  private final HostsFile hosts;
  private final ImageResolver images;
  private final Volumes volumes;

  ContainerLauncher(KubernetesClient client, Pod pod, String ip, Path podDir, HostsFile hosts, ImageResolver images,
      Volumes volumes) {
    this.client = client;
    this.pod = pod;
    this.ip = ip;
    this.podDir = podDir;
    this.hosts = hosts;
    this.images = images;
    this.volumes = volumes;
  }

  /** Starts the container, or records why it waits and when to try again. */
  void start(ContainerRun run, Instant now) {
    Container spec = run.spec();
    try {
      List<String> command = spec.getCommand() == null ? List.of() : spec.getCommand();
      Optional<ImageResolver.Image> image = images.resolve(spec.getImage(), command);
      if (image.isEmpty()) {
        run.waitToStart("ErrImagePull", "image " + spec.getImage() + " has no local executable", now.plusSeconds(5));
        return;
      }
      launch(run, image.get(), command, now);
      log.info("{}: started pid {}", run.name(), run.pid());
    } catch (IOException | RuntimeException e) {
      run.waitToStart("CreateContainerConfigError", e.getMessage(), now.plusSeconds(2));
      log.info("{}: cannot start yet: {}", run.name(), e.getMessage());
    }
  }

  private void launch(ContainerRun run, ImageResolver.Image image, List<String> command, Instant now)
      throws IOException {
    Container spec = run.spec();
    ProcessIdentity identity = ProcessIdentities.of(pod, spec);
    Map<String, Path> mounts = new LinkedHashMap<>(image.files());
    mounts.putAll(volumes.mounts(pod, spec, podDir));
    Map<String, String> env = ContainerEnv.of(client, pod, spec, ip);
    List<String> words = commandLine(image, command, spec.getArgs(), env);
    Path output = podDir.resolve(spec.getName() + ".log");
    TerminationMessage message = TerminationMessage.prepare(run.name(), spec, mounts, output);
    Path script = podDir.resolve(spec.getName() + ".sh");
    Optional<Path> cgroup = MemoryCgroup.create(spec, pod.getMetadata().getUid() + "-" + spec.getName());
    Files.writeString(script, MountScript.of(hosts, mounts, readOnly(image, spec), cgroup, identity, words));
    ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh",
        script.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    builder.environment().put("HOSTNAME", pod.getMetadata().getName());
    builder.environment().putAll(env);
    run.started(builder.start(), message, cgroup, now);
  }

  /** What the spec mounts read-only; with readOnlyRootFilesystem, the image's own files too. */
  private Set<String> readOnly(ImageResolver.Image image, Container spec) {
    Set<String> readOnly = new HashSet<>(Volumes.readOnly(pod, spec));
    SecurityContext context = spec.getSecurityContext();
    if (context != null && Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
      readOnly.addAll(image.files().keySet());
    }
    return readOnly;
  }

  /** The image's entrypoint in place of the command's first word, then the rest of it and the args, expanded. */
  private static List<String> commandLine(ImageResolver.Image image, List<String> command, List<String> args,
      Map<String, String> env) {
    List<String> words = new ArrayList<>(image.entrypoint());
    if (command.size() > 1) {
      words.addAll(ContainerEnv.expand(command.subList(1, command.size()), env));
    }
    words.addAll(ContainerEnv.expand(args, env));
    return words;
  }
}
