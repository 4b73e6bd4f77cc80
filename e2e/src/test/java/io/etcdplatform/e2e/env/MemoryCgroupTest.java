package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class MemoryCgroupTest {

  @Test
  void theLimitInBytesFromLimitsMemory() {
    assertThat(MemoryCgroup.limitBytes(new ContainerBuilder().withNewResources()
        .addToLimits("memory", new Quantity("512Mi")).addToRequests("memory", new Quantity("256Mi"))
        .endResources().build())).contains(512L * 1024 * 1024);
    assertThat(MemoryCgroup.limitBytes(new ContainerBuilder().withNewResources()
        .addToLimits("memory", new Quantity("1G")).endResources().build())).contains(1_000_000_000L);
  }

  @Test
  void noLimitNoCgroup() {
    assertThat(MemoryCgroup.limitBytes(new ContainerBuilder().withNewResources()
        .addToRequests("memory", new Quantity("256Mi")).endResources().build())).isEmpty();
    assertThat(MemoryCgroup.create(new ContainerBuilder().build(), "unused")).isEmpty();
  }
}
