package io.tokenbroker.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the audit trail is kept: {@code broker.audit.*}. */
@ConfigMapping(prefix = "broker.audit")
public interface AuditConfig {

  /**
   * How long an {@code audit_event} row is kept; older rows are deleted in batches. Every token
   * fetch writes a row, so the table grows by about one row per token request: size this against
   * your request rate and keep a longer history in your log pipeline (the {@code
   * token-broker.audit} log category carries the same events). Default 30 days.
   */
  @WithDefault("P30D")
  Duration retention();

  /** How often this replica deletes rows past the retention. Default every 10 minutes. */
  @WithDefault("10m")
  String pruneEvery();

  /**
   * Rows deleted per transaction: small enough that no delete holds locks or bloats the write-ahead
   * log for long, while a backlog is still cleared in one run. Default 5000.
   */
  @WithDefault("5000")
  int pruneBatchSize();
}
