package io.etcdplatform.metrics;

import java.util.Locale;

/** How a backup ended, as the {@code result} label of {@code etcdplatform_backups_total}. */
public enum BackupResult {
  SUCCESS, FAILURE, SKIPPED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
