package io.etcdplatform.e2e.env;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The user, primary group and supplementary groups a container's process runs as, and the words
 * of util-linux's {@code setpriv} that switch to them.
 */
record ProcessIdentity(long uid, long gid, List<Long> groups) {

  static final String SETPRIV = "/usr/bin/setpriv";

  ProcessIdentity {
    groups = List.copyOf(groups);
  }

  /** The command prefix that execs the rest of the command line as this identity. */
  List<String> setpriv() {
    String groupsOption = groups.isEmpty() ? "--clear-groups"
        : "--groups=" + groups.stream().map(String::valueOf).collect(Collectors.joining(","));
    return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, groupsOption, "--");
  }
}
