package io.tokenbroker.crypto;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import java.time.Duration;

/**
 * Vault could not be reached or refused the broker, so something that needs it right now (a secret
 * not yet cached, a key not yet unwrapped, a rotation) cannot be done. Callers retry; the broker
 * recovers by itself once Vault answers again.
 */
public class VaultUnavailableException extends BrokerException {

  public VaultUnavailableException(String detail, Throwable cause) {
    super(ProblemCode.SERVICE_UNAVAILABLE, detail, cause);
    retryAfter(Duration.ofSeconds(5));
  }
}
