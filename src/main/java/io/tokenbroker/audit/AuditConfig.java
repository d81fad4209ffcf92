package io.tokenbroker.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail: its in-memory queue and how long rows are kept ({@code broker.audit.*}). */
@ConfigMapping(prefix = "broker.audit")
public interface AuditConfig {

  /**
   * Most audit rows (token issuance) waiting in memory for the next batch write, which runs every
   * second. When the database is slow or down and the queue is full, further rows are dropped
   * (their log lines are kept), counted in {@code broker_audit_dropped_total}, and a WARN is logged
   * at most once a minute. About 300 bytes a row. Default 100000.
   */
  @WithDefault("100000")
  int queueCapacity();

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

  /** How issued tokens reach the audit trail. */
  enum IssuedTokens {
    /** One row per issued token, with its request id. */
    EACH,
    /**
     * One row per caller, connection (or provider's app token) and minute, with the count and the
     * first and last request ids.
     */
    AGGREGATED
  }

  /**
   * {@code each} or {@code aggregated}. Default {@code aggregated}: at thousands of tokens per
   * second a row each makes the audit trail the database's busiest writer, while a row per caller,
   * connection and minute still says who used which account when, how often, and through which
   * requests (first and last). Denials, links, refreshes and every change stay one row each in both
   * modes. docs/security.md weighs the two.
   */
  @WithDefault("aggregated")
  IssuedTokens issuedTokens();
}
