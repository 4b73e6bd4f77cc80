package io.etcdplatform.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HandOffStreamTest {

  @Test
  void everythingWrittenArrivesInOrder() throws Exception {
    byte[] data = new byte[1_000_003];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream downstream = new ByteArrayOutputStream();

    try (HandOffStream handOff = new HandOffStream(downstream, 4, "test-writer")) {
      for (int offset = 0; offset < data.length; offset += 32 * 1024) {
        handOff.write(data, offset, Math.min(32 * 1024, data.length - offset));
      }
      handOff.finish(Duration.ofSeconds(10));
    }

    assertThat(downstream.toByteArray()).isEqualTo(data);
  }

  @Test
  void theDownstreamsFailureReachesTheWriter() throws Exception {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("bucket gone");
      }
    };

    try (HandOffStream handOff = new HandOffStream(failing, 2, "test-writer")) {
      assertThatThrownBy(() -> {
        for (int i = 0; i < 1_000; i++) {
          handOff.write(new byte[1024], 0, 1024);
        }
        handOff.finish(Duration.ofSeconds(10));
      }).isInstanceOf(IOException.class).hasMessage("bucket gone");
    }
  }

  @Test
  void aDownstreamThatHangsIsGivenUpAfterTheTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    OutputStream hanging = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        try {
          never.await();
        } catch (InterruptedException e) {
          throw new IOException("interrupted");
        }
      }
    };

    try (HandOffStream handOff = new HandOffStream(hanging, 2, "test-writer")) {
      handOff.write(new byte[10], 0, 10);
      assertThatThrownBy(() -> handOff.finish(Duration.ofMillis(300))).isInstanceOf(IOException.class)
          .hasMessageContaining("did not finish within");
    }
  }
}
