package io.tokenbroker.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit trail: {@code broker.audit.*}. */
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
}
