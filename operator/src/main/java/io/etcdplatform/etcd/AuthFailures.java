package io.etcdplatform.etcd;

import java.util.Locale;
import java.util.Optional;

/** etcd's answers that say a client's credential or permissions were refused, in words a person acts on. */
public final class AuthFailures {

  private AuthFailures() {}

  /** The refusal an etcd failure carries: a wrong user or password, a token etcd no longer knows, a permission. */
  public static Optional<String> refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("authentication failed") || message.contains("invalid user id or password")) {
        return Optional.of("etcd refused the user name or password (authentication failed)");
      }
      if (message.contains("invalid auth token") || message.contains("user name is empty")
          || message.contains("user name not found")) {
        return Optional.of("etcd refused the credential: " + t.getMessage());
      }
      if (message.contains("permission denied")) {
        return Optional.of("etcd refused the request: permission denied");
      }
    }
    return Optional.empty();
  }

  /** etcd answers so when auth is on and a client called without a credential. */
  public static boolean credentialMissing(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("user name is empty") || message.contains("permission denied")) {
        return true;
      }
    }
    return false;
  }
}
