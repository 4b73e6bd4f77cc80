package io.etcdplatform.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One control plane for all API-server tests of a test JVM: started by the first test class that
 * asks, stopped when the JUnit run ends (also on failure).
 */
public final class SharedControlPlane {

  private SharedControlPlane() {}

  public static KubeControlPlane get(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(KubeControlPlane.class,
            key -> KubeControlPlane.start(Path.of("target", "control-plane").toAbsolutePath()),
            KubeControlPlane.class);
  }
}
