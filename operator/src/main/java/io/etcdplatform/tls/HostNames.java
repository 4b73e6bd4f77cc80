package io.etcdplatform.tls;

import java.util.Locale;

/** A DNS subject alternative name against a host, as Go's TLS (etcd's) matches them: one leftmost wildcard label. */
final class HostNames {

  private HostNames() {}

  static boolean matches(String pattern, String host) {
    String p = trimDot(pattern.toLowerCase(Locale.ROOT));
    String h = trimDot(host.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return p.equals(h);
    }
    int firstDot = h.indexOf('.');
    return firstDot > 0 && h.substring(firstDot + 1).equals(p.substring(2));
  }

  private static String trimDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
