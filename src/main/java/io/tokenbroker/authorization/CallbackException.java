package io.tokenbroker.authorization;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;

/**
 * The browser callback could not complete. Rendered by {@link CallbackResource} as a small page (or
 * a redirect to a known return_to), since a person, not a program, is reading it.
 */
class CallbackException extends BrokerException {

  private final String reason;
  private final String returnTo;

  CallbackException(String reason, String detail, String returnTo) {
    super(ProblemCode.VALIDATION_FAILED, detail);
    this.reason = reason;
    this.returnTo = returnTo;
  }

  String reason() {
    return reason;
  }

  /** A return_to that was checked when the authorization started, or null. */
  String returnTo() {
    return returnTo;
  }
}
