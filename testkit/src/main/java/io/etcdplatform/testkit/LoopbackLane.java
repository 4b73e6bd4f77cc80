package io.etcdplatform.testkit;

/**
 * The part of 127.0.0.0/8 this run's etcd members and pods take: {@code 127.<lane>.x.y}, the lane from
 * {@code ETCD_PLATFORM_LOOPBACK_LANE} (default 0). The suites use fixed addresses, so two runs on one
 * machine (two checkouts, say) collide unless each runs in a lane of its own.
 */
public final class LoopbackLane {

  private static final int LANE = lane(System.getenv("ETCD_PLATFORM_LOOPBACK_LANE"));

  private LoopbackLane() {}

  /** {@code 127.<lane>.<third>.<fourth>}. */
  public static String address(int third, int fourth) {
    return "127." + LANE + "." + third + "." + fourth;
  }

  static int lane(String setting) {
    if (setting == null || setting.isBlank()) {
      return 0;
    }
    int lane = Integer.parseInt(setting.strip());
    if (lane < 0 || lane > 255) {
      throw new IllegalArgumentException("ETCD_PLATFORM_LOOPBACK_LANE must be 0..255, not " + setting);
    }
    return lane;
  }
}
