package io.etcdplatform.testing;

import io.etcdplatform.testkit.ApiServerTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** An API-server test with the operator running against it in this JVM, started once per test class. */
public abstract class OperatorApiServerTest extends ApiServerTest {

  protected static final Duration TIMEOUT = Duration.ofSeconds(60);
  protected static OperatorUnderTest operator;

  @BeforeAll
  static void startOperator() throws Exception {
    operator = OperatorUnderTest.start(controlPlane, namespace);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }
}
