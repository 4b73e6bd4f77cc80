package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.SupportedVersions;
import io.etcdplatform.schedule.Cron;
import java.util.ArrayList;
import java.util.List;

/**
 * What the CRD schema and its CEL rules cannot say: a version change must be a patch change or
 * one minor step up from what the cluster runs, and the maintenance and backup schedules must be
 * cron expressions cron-utils accepts. The version must be a supported release also here: a
 * cluster stored before the CRD said so must be refused, not deployed.
 */
public final class SpecValidator {

  private SpecValidator() {}

  /** Problems with the spec, each naming the field and the fix; empty when it can be acted on. */
  public static List<String> validate(EtcdCluster cluster) {
    List<String> problems = new ArrayList<>();
    String running = cluster.getStatus() == null ? null : cluster.getStatus().getVersion();
    String wanted = cluster.getSpec().getVersion();
    if (!SupportedVersions.supports(wanted)) {
      problems.add(SupportedVersions.refusal(wanted));
    } else if (running != null && !running.equals(wanted)) {
      int[] from = parse(running);
      int[] to = parse(wanted);
      if (compare(to, from) < 0) {
        problems.add("spec.version " + wanted + " is older than the running " + running
            + ": etcd cannot be downgraded in place; set spec.version back to " + running
            + " or restore a backup into a new EtcdCluster");
      } else if (to[1] > from[1] + 1) {
        problems.add("spec.version " + wanted + " skips a minor release from the running " + running
            + ": upgrade one minor version at a time, first to 3." + (from[1] + 1) + ".x");
      }
    }
    var maintenance = cluster.getSpec().getMaintenance();
    checkCron(maintenance == null ? null : maintenance.getDefragmentation().getSchedule(),
        "spec.maintenance.defragmentation.schedule", problems);
    var backup = cluster.getSpec().getBackup();
    checkCron(backup == null ? null : backup.getSchedule(), "spec.backup.schedule", problems);
    checkCron(backup == null ? null : backup.getVerifySchedule(), "spec.backup.verifySchedule", problems);
    var inspection = cluster.getSpec().getKeyspaceInspection();
    checkCron(inspection == null ? null : inspection.getSchedule(), "spec.keyspaceInspection.schedule", problems);
    return problems;
  }

  private static void checkCron(String expression, String field, List<String> problems) {
    if (expression != null && !expression.isBlank()) {
      try {
        Cron.parse(expression, field);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
  }

  private static int[] parse(String version) {
    String[] parts = version.split("\\.");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
