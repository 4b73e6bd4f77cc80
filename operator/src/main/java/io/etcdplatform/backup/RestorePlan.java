package io.etcdplatform.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * What the restore init container does for one member, from what its claim holds. Pure. Only an
 * initial member restores (a later one joins empty), and only when its data directory is not
 * complete; whatever an earlier attempt left (stopped midway by a failure, a kill, a full disk) is
 * removed first, so a half-written restore is redone and never taken as done.
 */
sealed interface RestorePlan {

  /** Nothing to do, and why. */
  record Skip(String why) implements RestorePlan {}

  /** Remove {@code leftovers}, then restore. */
  record Restore(List<Path> leftovers) implements RestorePlan {}

  static RestorePlan of(RestoreLayout layout, RestoreLayout.Found found, String member, List<String> initialMembers) {
    if (!initialMembers.contains(member)) {
      return new Skip(member + " is not one of the initial members: it joins empty");
    }
    if (found.complete()) {
      return new Skip(member + ": " + layout.data() + " is a complete data directory: already restored");
    }
    return new Restore(found.leftovers());
  }
}
