package io.tokenbroker.grant;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;

/** A token-endpoint call failed; {@link #failure()} says how. */
public class GrantException extends BrokerException {

  private final GrantFailure failure;

  public GrantException(GrantFailure failure) {
    super(
        failure.kind().isTransient()
            ? ProblemCode.UPSTREAM_UNAVAILABLE
            : ProblemCode.UPSTREAM_REJECTED,
        "The provider's token endpoint answered " + failure + ".");
    this.failure = failure;
    failure.retryAfter().ifPresent(this::retryAfter);
  }

  public GrantFailure failure() {
    return failure;
  }
}
