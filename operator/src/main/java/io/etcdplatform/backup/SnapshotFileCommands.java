package io.etcdplatform.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdCredential;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.tls.ClusterCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands a backup Job runs in the operator image, with the claim mounted:
 * {@code save-snapshot} streams a snapshot of the member at SNAPSHOT_ENDPOINT into SNAPSHOT_FILE
 * (with the operator's client certificate from SNAPSHOT_TLS_DIR, or as SNAPSHOT_USER with
 * SNAPSHOT_PASSWORD, when the Job has them)
 * and reports its size and sha256 as the container's termination message (SNAPSHOT_RESULT_FILE),
 * where the operator reads them; {@code delete-snapshot} removes SNAPSHOT_FILE (and a partial one) for
 * the retention.
 */
public final class SnapshotFileCommands {

  /** What save-snapshot reports. */
  public record Result(long sizeBytes, String sha256) {}

  static final int REFUSED = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotFileCommands() {}

  public static int save(Map<String, String> env) throws IOException {
    String endpoint = env.get("SNAPSHOT_ENDPOINT");
    Path file = Path.of(env.get("SNAPSHOT_FILE"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(env.get("SNAPSHOT_TIMEOUT_SECONDS")));
    SnapshotFiles.Written written;
    Optional<ClientTls> tls = Optional.ofNullable(env.get("SNAPSHOT_TLS_DIR")).map(Path::of).map(dir -> new ClientTls(
        read(dir.resolve(ClusterCertificates.OPERATOR_AUTHORITY)), read(dir.resolve(ClusterCertificates.OPERATOR_CERTIFICATE)),
        read(dir.resolve(ClusterCertificates.OPERATOR_KEY))));
    Optional<EtcdCredential> credential = Optional.ofNullable(env.get("SNAPSHOT_USER"))
        .map(user -> new EtcdCredential(user, env.get("SNAPSHOT_PASSWORD")));
    try (EtcdConnection etcd = new EtcdConnection(List.of(endpoint), Duration.ofSeconds(10), tls, credential)) {
      written = SnapshotFiles.save(file, out -> etcd.snapshot(endpoint, out, timeout));
    } catch (SnapshotCorruptException e) {
      System.err.println(e.getMessage() + "; nothing was stored");
      return REFUSED;
    } catch (EtcdUnavailableException e) {
      System.err.println("no snapshot from " + endpoint + ": " + e.getMessage() + "; nothing was stored");
      return 1;
    } catch (IOException e) {
      System.err.println("writing " + file + " failed (" + e + "): check the claim's free space and that the Job "
          + "may write to it (fsGroup); nothing was stored");
      return 1;
    }
    String result = JSON.writeValueAsString(new Result(written.size(), written.sha256()));
    Files.writeString(Path.of(env.get("SNAPSHOT_RESULT_FILE")), result);
    System.out.println("saved " + file + ": " + result);
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("the operator's client certificate is not readable at " + file, e);
    }
  }

  /** Also removes what a save killed midway (its deadline, an eviction) left behind. */
  public static int delete(Map<String, String> env) throws IOException {
    Path file = Path.of(env.get("SNAPSHOT_FILE"));
    for (Path each : List.of(file, SnapshotFiles.partial(file))) {
      System.out.println(Files.deleteIfExists(each) ? "deleted " + each : each + " is not there");
    }
    return 0;
  }

  /** The result save-snapshot reported. */
  public static Result parse(String terminationMessage) throws IOException {
    return JSON.readValue(terminationMessage, Result.class);
  }
}
