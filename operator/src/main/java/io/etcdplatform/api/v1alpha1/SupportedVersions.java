package io.etcdplatform.api.v1alpha1;

/**
 * The etcd releases the operator runs: every 3.6 release, and 3.5 from 3.5.19. The members' probes
 * use /livez and /readyz, which etcd serves from 3.5.11, and only from 3.5.19 does /readyz fail on
 * a learner (its non_learner check), which keeps a joining member's pod out of the client Service.
 * 3.4 has neither, and no etcdutl to restore with; 3.7 is not released. The one rule, read by the
 * CRD's CEL and by the operator (for a cluster stored before the rule existed).
 */
public final class SupportedVersions {

  /** The supported releases, as a person reads them. */
  public static final String RANGE = "3.6.x, or 3.5.x from 3.5.19";
  /** MAJOR.MINOR.PATCH of a supported release; {@code [.]}, not an escape, so Java and CEL read it alike. */
  public static final String PATTERN = "^(3[.]6[.](0|[1-9][0-9]*)|3[.]5[.](19|[2-9][0-9]|[1-9][0-9]{2,}))$";
  static final String RULE = "self.matches('" + PATTERN + "')";
  static final String REFUSAL = "spec.version must be a supported etcd release, " + RANGE
      + ", as MAJOR.MINOR.PATCH without a leading v (earlier 3.5 releases lack the /livez and /readyz "
      + "checks the members' probes rely on): set one of those";

  private SupportedVersions() {}

  public static boolean supports(String version) {
    return version != null && version.matches(PATTERN);
  }

  /** Why {@code version} is refused, naming the field and the fix. */
  public static String refusal(String version) {
    return "spec.version " + version + " is not a supported etcd release: use " + RANGE;
  }
}
