package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecValidatorTest {

  private static EtcdCluster running(String running, String wanted) {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().setVersion(wanted);
    if (running != null) {
      cluster.setStatus(new EtcdClusterStatus());
      cluster.getStatus().setVersion(running);
    }
    return cluster;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({", 3.6.16", "3.6.16, 3.6.16", "3.6.1, 3.6.16", "3.5.35, 3.6.0", "3.4.37, 3.5.35", "3.5.19, 3.5.35"})
  void acceptsPatchUpgradesAndOneMinorStep(String from, String to) {
    assertThat(SpecValidator.validate(running(from, to))).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "3.6.16, 3.6.15, 'spec.version 3.6.15 is older than the running 3.6.16: etcd cannot be downgraded in place; set spec.version back to 3.6.16'",
      "3.6.0, 3.5.35, 'spec.version 3.5.35 is older than the running 3.6.0'",
      "3.4.37, 3.6.16, 'spec.version 3.6.16 skips a minor release from the running 3.4.37: upgrade one minor version at a time, first to 3.5.x'"})
  void refusesDowngradesAndSkippedMinorsNamingTheFieldAndTheFix(String from, String to, String message) {
    assertThat(SpecValidator.validate(running(from, to))).singleElement().asString().startsWith(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"3.7.0", "3.5.18", "3.5.10", "3.5.0", "3.4.37", "4.0.0"})
  void refusesAReleaseTheOperatorDoesNotSupportWithTheSupportedRange(String version) {
    assertThat(SpecValidator.validate(running(null, version))).containsExactly("spec.version " + version
        + " is not a supported etcd release: use 3.6.x, or 3.5.x from 3.5.19");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'0 3 * * *', true", "'*/15 1-5 * * MON-FRI', true", "'99 3 * * *', false", "'0 3 * * * *', false"})
  void aScheduleMustBeAFiveFieldCronExpression(String schedule, boolean valid) {
    EtcdCluster cluster = running(null, "3.6.16");
    cluster.getSpec().getMaintenance().getDefragmentation().setSchedule(schedule);

    var problems = SpecValidator.validate(cluster);

    if (valid) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).singleElement().asString().startsWith("spec.maintenance.defragmentation.schedule \""
          + schedule + "\" is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\")");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'0 4 * * 0', true", "'*/30 * * * *', true", "'0 4 * * 8', false", "'0 4 31 2 * 1', false"})
  void aVerifyScheduleMustBeAFiveFieldCronExpressionToo(String verifySchedule, boolean valid) {
    EtcdCluster cluster = running(null, "3.6.16");
    var backup = new io.etcdplatform.api.v1alpha1.BackupSchedule();
    backup.setSchedule("0 3 * * *");
    backup.setVerifySchedule(verifySchedule);
    cluster.getSpec().setBackup(backup);

    var problems = SpecValidator.validate(cluster);

    if (valid) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).singleElement().asString().startsWith("spec.backup.verifySchedule \"" + verifySchedule
          + "\" is not a 5-field cron expression");
    }
  }
}
