package io.etcdplatform.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a restored snapshot holds what was recorded when it was taken: the recorded revision
 * (it holds at least that), the key count at that revision, and the source member's HashKV at that
 * revision. The first check that fails is named; a value nobody recorded is said not compared.
 */
public final class VerificationVerdict {

  /** What the backup recorded at save time; keys and hashKv may be null (the member could not say). */
  public record Recorded(long revision, Long keys, Long hashKv) {}

  /** What the throwaway etcd on the restored snapshot answered: its own revision, then keys and HashKV at the recorded one. */
  public record Found(long currentRevision, long keys, long hashKv) {}

  public record Verdict(boolean passed, String message) {}

  private VerificationVerdict() {}

  /** The first check, on the restored etcd's own revision alone: the others read at the recorded revision. */
  public static Optional<Verdict> revisionCheck(Recorded recorded, long currentRevision) {
    return currentRevision >= recorded.revision() ? Optional.empty()
        : Optional.of(new Verdict(false, "revision check failed: the restored snapshot ends at revision "
            + currentRevision + ", before the recorded revision " + recorded.revision()
            + " (the snapshot is not the one recorded)"));
  }

  public static Verdict of(Recorded recorded, Found found) {
    Optional<Verdict> revision = revisionCheck(recorded, found.currentRevision());
    if (revision.isPresent()) {
      return revision.get();
    }
    if (recorded.keys() != null && recorded.keys() != found.keys()) {
      return new Verdict(false, "key count check failed: the restored snapshot holds " + found.keys()
          + " keys at revision " + recorded.revision() + ", the source member held " + recorded.keys());
    }
    if (recorded.hashKv() != null && recorded.hashKv() != found.hashKv()) {
      return new Verdict(false, "HashKV check failed: the restored snapshot hashes to " + found.hashKv()
          + " at revision " + recorded.revision() + ", the source member's hash was " + recorded.hashKv()
          + " (the keys' contents differ)");
    }
    List<String> unchecked = new ArrayList<>();
    if (recorded.keys() == null) {
      unchecked.add("key count");
    }
    if (recorded.hashKv() == null) {
      unchecked.add("HashKV");
    }
    return new Verdict(true, "restored and served by etcd at revision " + found.currentRevision() + "; at revision "
        + recorded.revision() + " " + found.keys() + " keys, HashKV " + found.hashKv()
        + (unchecked.isEmpty() ? ", as recorded"
            : "; not compared, nothing was recorded at save time: " + String.join(", ", unchecked)));
  }
}
