package io.etcdplatform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.AuthRole;
import io.etcdplatform.etcd.EtcdAuthState;
import io.etcdplatform.etcd.EtcdPermission;
import io.etcdplatform.etcd.EtcdPermission.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The auth planner on declared and observed users and roles, without a cluster. */
class AuthPlannerTest {

  private static final String ROOT_PW = "root-secret-pw";
  private static final EtcdPermission A_RW = EtcdPermission.prefix(Type.READWRITE, "/a/");
  private static final EtcdPermission A_R = EtcdPermission.prefix(Type.READ, "/a/");
  private static final EtcdPermission B_W = EtcdPermission.prefix(Type.WRITE, "/b/");

  @Test
  void anEmptyClusterGetsRolesRootUsersAndAuthEnabledLast() {
    var plan = AuthPlanner.plan(declared(Map.of("team-a", Set.of(A_RW)), Map.of("alice", user("pw", true, "team-a"))),
        state(Map.of(), Map.of()), ManagedAuth.NONE, false);

    assertThat(plan).containsExactly(new AuthOperation.AddRole("team-a"), new AuthOperation.GrantPermission("team-a", A_RW),
        new AuthOperation.AddUser("root", ROOT_PW), new AuthOperation.GrantRole("root", "root"),
        new AuthOperation.AddUser("alice", "pw"), new AuthOperation.GrantRole("alice", "team-a"),
        new AuthOperation.EnableAuth());
  }

  @Test
  void whatIsAsDeclaredPlansNothing() {
    var plan = AuthPlanner.plan(declared(Map.of("team-a", Set.of(A_RW)), Map.of("alice", user("pw", false, "team-a"))),
        state(Map.of("root", Set.of("root"), "alice", Set.of("team-a")), Map.of("root", Set.of(), "team-a", Set.of(A_RW))),
        new ManagedAuth(Set.of("alice"), Set.of("team-a")), true);

    assertThat(plan).isEmpty();
  }

  @Test
  void aChangedPermissionIsGrantedOverItsRangeAndAnUndeclaredOneRevoked() {
    var plan = AuthPlanner.plan(declared(Map.of("team-a", Set.of(A_R)), Map.of()),
        state(Map.of("root", Set.of("root")), Map.of("team-a", Set.of(A_RW, B_W))), ManagedAuth.NONE, true);

    assertThat(plan).containsExactly(new AuthOperation.RevokePermission("team-a", B_W),
        new AuthOperation.GrantPermission("team-a", A_R));
  }

  @Test
  void aDeclaredUserHoldsExactlyItsRolesAndGetsItsNewPassword() {
    var plan = AuthPlanner.plan(declared(Map.of("x", Set.of()), Map.of("alice", user("new", true, "x"))),
        state(Map.of("root", Set.of("root"), "alice", Set.of("y")), Map.of("x", Set.of(), "y", Set.of())),
        ManagedAuth.NONE, true);

    assertThat(plan).containsExactly(new AuthOperation.ChangePassword("alice", "new"), new AuthOperation.GrantRole("alice", "x"),
        new AuthOperation.RevokeRole("alice", "y"));
  }

  @Test
  void onlyWhatTheOperatorCreatedIsRemovedNeverRootNorAHeldUser() {
    var observed = state(Map.of("root", Set.of("root"), "old", Set.of("gone"), "theirs", Set.of(), "held", Set.of("kept")),
        Map.of("root", Set.of(), "gone", Set.of(), "kept", Set.of(), "foreign", Set.of()));
    var declared = new DeclaredAuth(Map.of("root", user(ROOT_PW, false, "root")), Map.of(), Map.of(), Set.of("held"));

    var plan = AuthPlanner.plan(declared, observed,
        new ManagedAuth(Set.of("old", "root", "held", "vanished"), Set.of("gone", "kept", "root")), true);

    assertThat(plan).containsExactly(new AuthOperation.DeleteUser("old"), new AuthOperation.DeleteRole("gone"));
    assertThat(AuthPlanner.stillManaged(new ManagedAuth(Set.of("old", "vanished"), Set.of()), observed).users())
        .containsExactly("old");
  }

  @Test
  void aPrefixReadAndWrittenIsOneReadWritePermission() {
    AuthRole role = new AuthRole();
    role.setName("team-a");
    role.setRead(List.of("/a/", "/c/"));
    role.setWrite(List.of("/a/"));
    role.setReadWrite(List.of("/b/"));

    assertThat(DeclaredAuth.permissions(role)).containsExactlyInAnyOrder(A_RW, EtcdPermission.prefix(Type.READ, "/c/"),
        EtcdPermission.prefix(Type.READWRITE, "/b/"));
    assertThat(A_RW.rangeEnd()).isEqualTo("/a0");
    assertThat(EtcdPermission.prefix(Type.READ, "\u00ff").keyBytes()).containsExactly(0xc3, 0xbf);
  }

  @Test
  void noPasswordInWhatLogsEventsOrToStringSay() {
    var plan = AuthPlanner.plan(declared(Map.of(), Map.of("alice", user("s3cr3t-alice", true))),
        state(Map.of("alice", Set.of()), Map.of()), ManagedAuth.NONE, false);
    var add = AuthPlanner.plan(declared(Map.of(), Map.of("bob", user("s3cr3t-bob", true))),
        state(Map.of(), Map.of()), ManagedAuth.NONE, true);

    assertThat(plan).anyMatch(AuthOperation.ChangePassword.class::isInstance);
    assertThat(add).anyMatch(AuthOperation.AddUser.class::isInstance);
    for (AuthOperation op : concat(plan, add)) {
      assertThat(op.describe()).doesNotContain("s3cr3t", ROOT_PW);
      assertThat(op.toString()).doesNotContain("s3cr3t", ROOT_PW);
    }
    assertThat(user("s3cr3t", true).toString()).doesNotContain("s3cr3t");
    assertThat(new io.etcdplatform.etcd.EtcdCredential("root", "s3cr3t").toString()).doesNotContain("s3cr3t");
  }

  private static List<AuthOperation> concat(List<AuthOperation> a, List<AuthOperation> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static DeclaredAuth declared(Map<String, Set<EtcdPermission>> roles, Map<String, DeclaredAuth.User> users) {
    return new DeclaredAuth(Map.of("root", user(ROOT_PW, false, "root")), roles, users, Set.of());
  }

  private static DeclaredAuth.User user(String password, boolean toSet, String... roles) {
    return new DeclaredAuth.User(Set.of(roles), password, toSet);
  }

  private static EtcdAuthState state(Map<String, Set<String>> users, Map<String, Set<EtcdPermission>> roles) {
    return new EtcdAuthState(users, roles);
  }
}
