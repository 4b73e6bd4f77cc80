package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one probe of a pod's container once, as a kubelet does: httpGet (a status from 200 to 399
 * passes) and tcpSocket (a connection passes) against the pod's IP, exec (exit 0 passes) in the
 * mount namespace of the pod's first container; each within the probe's timeoutSeconds.
 */
final class ProbeCheck {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final String ip;
  private final List<Container> containers;
  private final LongSupplier firstContainerPid;

  /** @param containers the pod's containers, whose named ports a probe may refer to */
  ProbeCheck(String ip, List<Container> containers, LongSupplier firstContainerPid) {
    this.ip = ip;
    this.containers = containers;
    this.firstContainerPid = firstContainerPid;
  }

  /** No probe, or one without a handler, passes. */
  boolean passes(Probe probe) {
    if (probe == null) {
      return true;
    }
    int timeout = probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds();
    try {
      if (probe.getHttpGet() != null) {
        return httpGet(probe.getHttpGet(), timeout);
      }
      if (probe.getTcpSocket() != null) {
        return tcpSocket(probe.getTcpSocket().getPort(), timeout);
      }
      if (probe.getExec() != null) {
        return exec(probe.getExec(), timeout);
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  private boolean httpGet(HTTPGetAction get, int timeout) throws IOException, InterruptedException {
    String host = get.getHost() == null ? ip : get.getHost();
    URI uri = URI.create("http://" + host + ":" + port(get.getPort()) + (get.getPath() == null ? "/" : get.getPath()));
    int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeout)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    return status >= 200 && status < 400;
  }

  private boolean tcpSocket(IntOrString port, int timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port(port)), timeout * 1000);
      return true;
    }
  }

  private boolean exec(ExecAction exec, int timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(
        List.of("nsenter", "--mount=/proc/" + firstContainerPid.getAsLong() + "/ns/mnt", "--"));
    command.addAll(exec.getCommand());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }

  /** A port number, or the number of a port named in one of the pod's containers. */
  private int port(IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return containers.stream().flatMap(c -> c.getPorts().stream())
        .filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
  }
}
