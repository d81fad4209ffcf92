package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.support.Connections;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The connection store and administration against the real database: what linking writes, what it
 * does to callers, which transitions it announces, and what replacing callers leaves behind.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ConnectionStoreTest {

  private static final Instant LATER = Instant.now().plus(30, ChronoUnit.DAYS);

  @Inject ConnectionStore store;
  @Inject ConnectionAdministration administration;
  @Inject TransitionRecorder transitions;

  @Test
  void linkingANewAccountStoresAnActiveConnectionWithItsCallersAndSealedTokens() {
    String account = unique("new");
    ConnectionStore.Linked linked =
        store.link(grant(account, tokens("access-1", "refresh-1"), Set.of("svc-a")));

    assertThat(linked.created()).isTrue();
    assertThat(linked.callerChange()).isEqualTo(ConnectionStore.CallerChange.SET);
    Connection row = Connections.load(linked.connectionId());
    assertThat(row.status).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(row.accountId).isEqualTo(account);
    assertThat(row.allowedCallers).containsExactly("svc-a");
    assertThat(row.accessTokenEnc).isNotNull().doesNotContain("access-1");
    assertThat(row.refreshTokenEnc).isNotNull().doesNotContain("refresh-1");
    assertThat(store.openAccessToken(row.id, row.accessTokenEnc)).isEqualTo("access-1");
    assertThat(store.openRefreshToken(row.id, row.refreshTokenEnc)).isEqualTo("refresh-1");
  }

  @Test
  void linkingALiveAccountAgainWithoutCallersKeepsItsCallersAndItsRow() {
    String account = unique("kept");
    UUID id = store.link(grant(account, tokens("a1", "r1"), Set.of("svc-a"))).connectionId();

    ConnectionStore.Linked again = store.link(grant(account, tokens("a2", "r2"), Set.of()));

    assertThat(again.connectionId()).isEqualTo(id);
    assertThat(again.created()).isFalse();
    assertThat(again.callerChange()).isEqualTo(ConnectionStore.CallerChange.KEPT);
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
    assertThat(again.callersDetail()).isEqualTo("callers kept: [svc-a]");
  }

  @Test
  void linkingALiveAccountAgainWithCallersReplacesThem() {
    String account = unique("replaced");
    UUID id = store.link(grant(account, tokens("a1", "r1"), Set.of("svc-a"))).connectionId();

    ConnectionStore.Linked again =
        store.link(grant(account, tokens("a2", "r2"), Set.of("svc-b", "svc-c")));

    assertThat(again.callerChange()).isEqualTo(ConnectionStore.CallerChange.REPLACED);
    assertThat(Connections.load(id).allowedCallers).containsExactlyInAnyOrder("svc-b", "svc-c");
    assertThat(again.callersDetail()).isEqualTo("callers replaced: [svc-a] -> [svc-b,svc-c]");
  }

  @Test
  void linkingADeletedAccountAgainDropsTheCallersItHadAndMakesItActive() {
    String account = unique("deleted");
    UUID id = store.link(grant(account, tokens("a1", "r1"), Set.of("svc-old"))).connectionId();
    QuarkusTransaction.requiringNew()
        .run(() -> Connection.<Connection>findById(id).status = ConnectionStatus.REVOKED);

    ConnectionStore.Linked again = store.link(grant(account, tokens("a2", "r2"), Set.of()));

    assertThat(again.callerChange()).isEqualTo(ConnectionStore.CallerChange.RESET_AFTER_DELETE);
    Connection row = Connections.load(id);
    assertThat(row.allowedCallers).isEmpty();
    assertThat(row.status).isEqualTo(ConnectionStatus.ACTIVE);
  }

  @Test
  void aTokenResponseWithoutARefreshTokenKeepsTheStoredOne() {
    String account = unique("no-rotation");
    UUID id = store.link(grant(account, tokens("a1", "r1"), Set.of())).connectionId();
    String sealedRefresh = Connections.load(id).refreshTokenEnc;

    store.link(grant(account, tokens("a2", null), Set.of()));

    Connection row = Connections.load(id);
    assertThat(row.refreshTokenEnc).isEqualTo(sealedRefresh);
    assertThat(store.openAccessToken(id, row.accessTokenEnc)).isEqualTo("a2");
  }

  @Test
  void everyLinkAnnouncesATransitionFromTheStatusBefore() {
    String account = unique("transitions");
    UUID id = store.link(grant(account, tokens("a1", "r1"), Set.of())).connectionId();
    QuarkusTransaction.requiringNew()
        .run(() -> Connection.<Connection>findById(id).status = ConnectionStatus.DEGRADED);
    store.link(grant(account, tokens("a2", "r2"), Set.of()));

    List<StatusTransition> seen = transitions.of(id);
    assertThat(seen).hasSize(2).allMatch(StatusTransition::linked);
    assertThat(seen.get(0).previous()).isNull();
    assertThat(seen.get(0).reason()).isEqualTo("linked");
    assertThat(seen.get(1).previous()).isEqualTo(ConnectionStatus.DEGRADED);
    assertThat(seen.get(1).current()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(seen.get(1).reason()).isEqualTo("linked again");
  }

  @Test
  void replacingCallersWritesThemAndAuditsTheNewList() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));

    ConnectionView view = administration.replaceCallers(id, List.of("svc-b", "svc-c"), "admin-1");

    assertThat(view.allowedCallers()).containsExactlyInAnyOrder("svc-b", "svc-c");
    assertThat(Connections.load(id).allowedCallers).containsExactlyInAnyOrder("svc-b", "svc-c");
    AuditEvent row =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    AuditEvent.<AuditEvent>find(
                            "connectionId = ?1 and action = ?2", id, "connection.callers_changed")
                        .firstResult());
    assertThat(row).isNotNull();
    assertThat(row.actor).isEqualTo("admin-1");
    assertThat(row.outcome).isEqualTo("ok");
    assertThat(row.provider).isEqualTo("pinterest");
    assertThat(row.detail).contains("svc-b").contains("svc-c").doesNotContain("svc-a");
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID();
  }

  private static LinkedGrant grant(String account, TokenResponse tokens, Set<String> callers) {
    return new LinkedGrant(
        "pinterest",
        account,
        Optional.of("user-" + account),
        tokens,
        Set.of("boards:read"),
        callers,
        Optional.empty(),
        "admin-1");
  }

  private static TokenResponse tokens(String access, String refresh) {
    return new TokenResponse(
        access,
        "bearer",
        Optional.of(LATER),
        Optional.ofNullable(refresh),
        Optional.ofNullable(refresh).map(r -> LATER.plus(30, ChronoUnit.DAYS)),
        Set.of("boards:read"),
        Instant.now());
  }
}
