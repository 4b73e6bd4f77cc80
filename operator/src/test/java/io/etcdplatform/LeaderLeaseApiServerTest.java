package io.etcdplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.testing.OperatorUnderTest;
import io.etcdplatform.testkit.ApiServerTest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader lease against a real kube-apiserver: two replicas never reconcile side by side. */
class LeaderLeaseApiServerTest extends ApiServerTest {

  private static final String LEASE = "etcd-platform-operator";

  @BeforeEach
  void noLeaseYet() {
    client.leases().inNamespace(namespace).withName(LEASE).withTimeout(10, TimeUnit.SECONDS).delete();
  }

  @Test
  void aReplicaWhoseLeaseAnotherTookOverExits() throws Exception {
    CountDownLatch exited = new CountDownLatch(1);
    try (OperatorUnderTest operator = OperatorUnderTest.start(controlPlane, namespace, exited::countDown)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);

      // what another replica does once this one's lease looks expired to it (say, after a pause)
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
          client.leases().inNamespace(namespace).withName(LEASE).edit(lease -> {
            lease.getSpec().setHolderIdentity("another-replica");
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            lease.getSpec().setLeaseDurationSeconds(3600);
            return lease;
          }));

      // renewals fail from then on; the renew deadline is 10 s
      assertThat(exited.await(40, TimeUnit.SECONDS)).as("exited after losing the lease").isTrue();
    }
  }

  @Test
  void aReplicaThatStopsGivesTheLeaseUpWithoutExiting() throws Exception {
    CountDownLatch exited = new CountDownLatch(1);
    try (OperatorUnderTest operator = OperatorUnderTest.start(controlPlane, namespace, exited::countDown)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
    }
    assertThat(exited.await(3, TimeUnit.SECONDS)).as("exited while stopping").isFalse();
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace(namespace).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
