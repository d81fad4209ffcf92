package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every decision of the caller policy, as plain logic. */
class CallerPolicyTest {

  private static final Caller ADMIN = new Caller("admin-tool", Set.of(Roles.BROKER_ADMIN));
  private static final Caller CONSUMER = new Caller("svc-a", Set.of(Roles.TOKEN_CONSUMER));
  private static final Caller ADMIN_AND_CONSUMER =
      new Caller("svc-ops", Set.of(Roles.BROKER_ADMIN, Roles.TOKEN_CONSUMER));
  private static final Caller NO_ROLES = new Caller("svc-a", Set.of());

  private final CallerPolicy policy =
      policy(
          Map.of("pinterest", Set.of("svc-a", "svc-ops", "admin-tool"), "other", Set.of("svc-b")),
          anonymous());

  private static CallerPolicy policy(
      Map<String, Set<String>> clientCredentials, SecurityIdentity identity) {
    return new CallerPolicy(FixedCallerConfig.withClientCredentials(clientCredentials), identity);
  }

  private static SecurityIdentity anonymous() {
    return QuarkusSecurityIdentity.builder().setAnonymous(true).build();
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.FORBIDDEN));
  }

  @Test
  void currentCallerIsTheOneAttachedWhenItsTokenWasVerified() {
    SecurityIdentity identity =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("svc-a"))
            .addRole(Roles.TOKEN_CONSUMER)
            .addAttribute(Caller.ATTRIBUTE, CONSUMER)
            .build();

    assertThat(policy(Map.of(), identity).current()).isEqualTo(CONSUMER);
  }

  @Test
  void anonymousRequestHasNoCurrentCaller() {
    assertThatThrownBy(() -> policy(Map.of(), anonymous()).current())
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.UNAUTHENTICATED));
  }

  @Test
  void identityNotMadeFromACallerTokenHasNoCurrentCaller() {
    SecurityIdentity other =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("basic-auth-user"))
            .addRole(Roles.BROKER_ADMIN)
            .build();

    assertThatThrownBy(() -> policy(Map.of(), other).current())
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.UNAUTHENTICATED));
  }

  @Test
  void onlyAdminsPassRequireAdmin() {
    assertThatCode(() -> policy.requireAdmin(ADMIN)).doesNotThrowAnyException();
    assertThatCode(() -> policy.requireAdmin(ADMIN_AND_CONSUMER)).doesNotThrowAnyException();
    assertForbidden(() -> policy.requireAdmin(CONSUMER));
    assertForbidden(() -> policy.requireAdmin(NO_ROLES));
  }

  @Test
  void onlyAdminsStartAuthorizations() {
    assertThatCode(() -> policy.requireStartAuthorization(ADMIN)).doesNotThrowAnyException();
    assertForbidden(() -> policy.requireStartAuthorization(CONSUMER));
  }

  @Test
  void listedTokenConsumerMayUseTheConnection() {
    assertThat(policy.mayUseConnection(CONSUMER, Set.of("svc-b", "svc-a"))).isTrue();
  }

  @Test
  void unlistedTokenConsumerMayNotUseTheConnection() {
    assertThat(policy.mayUseConnection(CONSUMER, Set.of("svc-b"))).isFalse();
    assertThat(policy.mayUseConnection(CONSUMER, Set.of())).isFalse();
  }

  @Test
  void adminDoesNotImplicitlyGetConnectionTokens() {
    assertThat(policy.mayUseConnection(ADMIN, Set.of("svc-b"))).isFalse();
    // Listed by name is not enough either: fetching tokens needs the token-consumer role.
    assertThat(policy.mayUseConnection(ADMIN, Set.of("admin-tool"))).isFalse();
  }

  @Test
  void listedCallerWithoutTokenConsumerRoleMayNotUseTheConnection() {
    assertThat(policy.mayUseConnection(NO_ROLES, Set.of("svc-a"))).isFalse();
  }

  @Test
  void adminThatIsAlsoAListedTokenConsumerMayUseTheConnection() {
    assertThat(policy.mayUseConnection(ADMIN_AND_CONSUMER, Set.of("svc-ops"))).isTrue();
  }

  @Test
  void callerNamesMatchExactly() {
    assertThat(policy.mayUseConnection(CONSUMER, Set.of("SVC-A", "svc-a "))).isFalse();
  }

  @Test
  void adminsAndUsersOfAConnectionMayViewIt() {
    assertThat(policy.mayViewConnection(ADMIN, Set.of())).isTrue();
    assertThat(policy.mayViewConnection(CONSUMER, Set.of("svc-a"))).isTrue();
    assertThat(policy.mayViewConnection(CONSUMER, Set.of("svc-b"))).isFalse();
    assertThat(policy.mayViewConnection(NO_ROLES, Set.of("svc-a"))).isFalse();
  }

  @Test
  void clientCredentialsNeedTheTokenConsumerRoleAndAListingForThatProvider() {
    assertThat(policy.mayUseClientCredentials(CONSUMER, "pinterest")).isTrue();
    assertThat(policy.mayUseClientCredentials(ADMIN_AND_CONSUMER, "pinterest")).isTrue();
    assertThatCode(() -> policy.requireClientCredentials(CONSUMER, "pinterest"))
        .doesNotThrowAnyException();

    assertThat(policy.mayUseClientCredentials(CONSUMER, "other")).isFalse();
    assertThat(policy.mayUseClientCredentials(CONSUMER, "unconfigured")).isFalse();
    assertThat(policy.mayUseClientCredentials(ADMIN, "pinterest")).isFalse();
    assertForbidden(() -> policy.requireClientCredentials(CONSUMER, "other"));
    assertForbidden(() -> policy.requireClientCredentials(ADMIN, "pinterest"));
  }

  @Test
  void withoutConfigurationNobodyGetsClientCredentials() {
    CallerPolicy unconfigured = policy(Map.of(), anonymous());

    assertThat(unconfigured.mayUseClientCredentials(CONSUMER, "pinterest")).isFalse();
  }

  @Test
  void denialDetailsRevealNothingAboutTheResource() {
    assertThatThrownBy(() -> policy.requireClientCredentials(CONSUMER, "other"))
        .hasMessage("The caller is not allowed to do this.");
  }
}
