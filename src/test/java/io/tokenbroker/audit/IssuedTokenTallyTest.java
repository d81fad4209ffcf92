package io.tokenbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IssuedTokenTallyTest {

  private static final long MINUTE = 60_000;
  private static final long START = 1_800_000_000_000L - 1_800_000_000_000L % MINUTE;
  private static final UUID CONNECTION = UUID.randomUUID();

  private final IssuedTokenTally tally = new IssuedTokenTally();

  private List<AuditEvent> close(long now, boolean all) {
    List<AuditEvent> rows = new ArrayList<>();
    tally.close(now, all, rows::add);
    return rows;
  }

  private boolean issue(String caller, UUID connection, String requestId, long at) {
    return tally.add(
        caller, AuditAction.TOKEN_ISSUED, "pinterest", connection, null, requestId, at);
  }

  @Test
  void tokensOfOneCallerConnectionAndMinuteBecomeOneRowOnceTheMinuteHasEnded() {
    issue("svc-a", CONNECTION, "r1", START + 1_000);
    issue("svc-a", CONNECTION, "r2", START + 2_000);
    issue("svc-a", CONNECTION, "r3", START + 59_999);

    assertThat(close(START + 59_999, false)).as("minute still in progress").isEmpty();
    List<AuditEvent> rows = close(START + MINUTE, false);

    assertThat(rows).hasSize(1);
    AuditEvent row = rows.get(0);
    assertThat(row.action).isEqualTo("token.issued");
    assertThat(row.outcome).isEqualTo("ok");
    assertThat(row.actor).isEqualTo("svc-a");
    assertThat(row.provider).isEqualTo("pinterest");
    assertThat(row.connectionId).isEqualTo(CONNECTION);
    assertThat(row.issuedCount).isEqualTo(3);
    assertThat(row.requestId).isEqualTo("r1");
    assertThat(row.occurredAt).isEqualTo(Instant.ofEpochMilli(START + 1_000));
    assertThat(row.lastRequestId).isEqualTo("r3");
    assertThat(row.lastOccurredAt).isEqualTo(Instant.ofEpochMilli(START + 59_999));
    assertThat(tally.size()).isZero();
    assertThat(close(START + 2 * MINUTE, true)).as("each count is written once").isEmpty();
  }

  @Test
  void otherCallersConnectionsAndMinutesAreCountedApart() {
    UUID other = UUID.randomUUID();
    issue("svc-a", CONNECTION, "r1", START);
    issue("svc-b", CONNECTION, "r2", START);
    issue("svc-a", other, "r3", START);
    issue("svc-a", CONNECTION, "r4", START + MINUTE);

    List<AuditEvent> ended = close(START + MINUTE + 1, false);

    assertThat(ended)
        .extracting(r -> r.requestId + "/" + r.issuedCount)
        .containsExactlyInAnyOrder("r1/1", "r2/1", "r3/1");
    assertThat(close(START + MINUTE + 1, true))
        .as("the minute in progress, when everything is written")
        .extracting(r -> r.requestId)
        .containsExactly("r4");
  }

  @Test
  void fullTallyRefusesNewCountsButKeepsCountingOpenOnes() {
    for (int i = 0; i < IssuedTokenTally.MAX_OPEN; i++) {
      assertThat(issue("svc-" + i, CONNECTION, "r" + i, START)).isTrue();
    }

    assertThat(issue("svc-new", CONNECTION, "r-new", START)).isFalse();
    assertThat(issue("svc-0", CONNECTION, "r-again", START)).isTrue();
    assertThat(tally.size()).isEqualTo(IssuedTokenTally.MAX_OPEN);
    assertThat(close(START + MINUTE, false))
        .filteredOn(r -> r.actor.equals("svc-0"))
        .singleElement()
        .satisfies(r -> assertThat(r.issuedCount).isEqualTo(2));
  }
}
