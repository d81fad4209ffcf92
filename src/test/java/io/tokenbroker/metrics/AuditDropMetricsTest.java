package io.tokenbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When the audit queue is full, tokens are still served, rows that would queue are dropped, and
 * every dropped row is counted in broker_audit_dropped_total; the log gets one WARN, not one per
 * row. (Issued tokens are counted per minute by default and do not queue a row each; denials do.)
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class AuditDropMetricsTest {

  /** broker.audit.queue-capacity's default, which this test run keeps. */
  private static final int CAPACITY = 100_000;

  private static final int DROPPED = 7;

  @Inject AuditTrail audit;

  @Test
  void rowsDroppedFromAFullAuditQueueAreCountedAndWarnedAboutOnce() {
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    UUID id = new PinterestFlows(pinterest).link("audit-drop-" + UUID.randomUUID());
    PinterestFlows.accessToken(id, 60);
    AuditTrail trail = ClientProxy.unwrap(audit);
    Scrape before = Scrape.now();

    try (LogCapture logs = LogCapture.onRootLogger()) {
      // Holding the trail's monitor keeps the scheduled flush from draining the queue meanwhile.
      synchronized (trail) {
        String filler = "svc-audit-filler-" + UUID.randomUUID();
        for (int i = 0; i < CAPACITY; i++) {
          audit.recordLater(AuditEntry.of(AuditAction.TOKEN_ISSUED, filler));
        }
        assertThat(PinterestFlows.accessToken(id, 60)).as("still served").isNotEmpty();
        for (int i = 0; i < DROPPED; i++) {
          assertThat(PinterestFlows.tokenRequest(UUID.randomUUID(), "{}").statusCode())
              .as("a denial, audited by a row of its own")
              .isEqualTo(404);
        }
        assertThat(Scrape.now().since(before, "broker_audit_dropped_total"))
            .isGreaterThanOrEqualTo(DROPPED);
      }
      assertThat(logs.lines())
          .filteredOn(line -> line.text().contains("audit rows dropped"))
          .hasSize(1)
          .allSatisfy(line -> assertThat(line.text()).startsWith("WARN"));
    } finally {
      audit.flush();
    }
  }
}
