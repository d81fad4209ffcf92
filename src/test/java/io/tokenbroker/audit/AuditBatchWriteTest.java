package io.tokenbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** Rows recorded off the request path reach {@code audit_event} in batches, complete and exact. */
@QuarkusTest
class AuditBatchWriteTest {

  @Inject AuditTrail audit;

  @Test
  void oneFlushWritesEveryQueuedRowEvenBeyondOneBatch() {
    String actor = "svc-audit-" + UUID.randomUUID();
    UUID connection = UUID.randomUUID();
    Instant before = Instant.now().minus(Duration.ofSeconds(1));
    MDC.put("request_id", "req-audit-batch");
    try {
      for (int i = 0; i < 2_500; i++) {
        audit.recordLater(
            AuditEntry.of(AuditAction.TOKEN_ISSUED, actor)
                .provider(i % 2 == 0 ? "pinterest" : null)
                .connection(i % 2 == 0 ? connection : null)
                .detail(i == 0 ? "first" : null));
      }
    } finally {
      MDC.remove("request_id");
    }

    audit.flush();

    List<AuditEvent> rows =
        QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("actor", actor));
    assertThat(rows).hasSize(2_500);
    assertThat(rows).allSatisfy(r -> assertThat(r.action).isEqualTo("token.issued"));
    assertThat(rows).allSatisfy(r -> assertThat(r.requestId).isEqualTo("req-audit-batch"));
    assertThat(rows).allSatisfy(r -> assertThat(r.occurredAt).isAfter(before));
    assertThat(rows).filteredOn(r -> connection.equals(r.connectionId)).hasSize(1_250);
    assertThat(rows)
        .filteredOn(r -> r.connectionId == null)
        .allSatisfy(r -> assertThat(r.provider).isNull());
    assertThat(rows).filteredOn(r -> "first".equals(r.detail)).hasSize(1);
  }
}
