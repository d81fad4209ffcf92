package io.tokenbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Audit rows past the retention are deleted in batches; younger rows stay. */
@QuarkusTest
class AuditPruningTest {

  @Inject AuditPruning pruning;

  @Test
  void rowsOlderThanTheCutoffAreDeletedAcrossSeveralBatchesAndYoungerOnesKept() {
    String actor = "svc-prune-" + UUID.randomUUID();
    Instant now = Instant.now();
    // Far older than anything other tests write, so that only these rows are past the cutoff.
    Instant cutoff = now.minus(Duration.ofDays(3650));
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < 5; i++) {
                row(actor, cutoff.minus(Duration.ofDays(1 + i)), "old");
              }
              row(actor, cutoff.plus(Duration.ofMinutes(1)), "young");
              row(actor, now, "recent");
            });

    int deleted = pruning.pruneOlderThan(cutoff, 2);

    assertThat(deleted).isEqualTo(5);
    List<AuditEvent> left =
        QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("actor", actor));
    assertThat(left).extracting(e -> e.detail).containsExactlyInAnyOrder("young", "recent");
  }

  @Test
  void nothingPastTheCutoffDeletesNothing() {
    assertThat(pruning.pruneOlderThan(Instant.now().minus(Duration.ofDays(36500)), 10)).isZero();
  }

  private static void row(String actor, Instant at, String detail) {
    AuditEvent event = new AuditEvent();
    event.occurredAt = at;
    event.actor = actor;
    event.action = "token.issued";
    event.outcome = "ok";
    event.detail = detail;
    event.persist();
  }
}
