package io.tokenbroker.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit trail: {@code broker.audit.*}. */
@ConfigMapping(prefix = "broker.audit")
public interface AuditConfig {

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
