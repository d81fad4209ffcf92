package io.tokenbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Started authorizations that expired long enough ago are deleted; live ones stay usable. */
@QuarkusTest
class ExpiredRequestPruningTest {

  @Inject ExpiredRequestPruning pruning;

  @Test
  void requestsExpiredBeforeTheCutoffAreDeletedUsedOrNotAndLiveOnesKept() {
    Instant cutoff = Instant.now().minus(Duration.ofDays(3650));
    String expiredUnused = request(cutoff.minus(Duration.ofHours(1)), null);
    String expiredUsed =
        request(cutoff.minus(Duration.ofDays(2)), cutoff.minus(Duration.ofDays(3)));
    String expiredLongAgo = request(cutoff.minus(Duration.ofDays(30)), null);
    String live = request(Instant.now().plus(Duration.ofMinutes(10)), null);

    int deleted = pruning.pruneExpiredBefore(cutoff, 2);

    assertThat(deleted).isEqualTo(3);
    assertThat(exists(expiredUnused)).isFalse();
    assertThat(exists(expiredUsed)).isFalse();
    assertThat(exists(expiredLongAgo)).isFalse();
    assertThat(exists(live)).isTrue();
  }

  private static boolean exists(String stateHash) {
    return QuarkusTransaction.requiringNew()
        .call(() -> AuthorizationRequest.findByIdOptional(stateHash).isPresent());
  }

  private static String request(Instant expiresAt, Instant consumedAt) {
    String stateHash = UUID.randomUUID().toString().replace("-", "");
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              AuthorizationRequest r = new AuthorizationRequest();
              r.stateHash = stateHash;
              r.provider = "pinterest";
              r.scopes = "boards:read";
              r.redirectUri = "https://broker.example.test/v1/oauth/callback";
              r.requestedBy = "admin-tool";
              r.createdAt = expiresAt.minus(Duration.ofMinutes(10));
              r.expiresAt = expiresAt;
              r.consumedAt = consumedAt;
              r.persist();
            });
    return stateHash;
  }
}
