package io.tokenbroker.crypto;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;

/** A stored value could not be opened; never carries the value itself. */
public class TokenDecryptionException extends BrokerException {

  public TokenDecryptionException(String detail, Throwable cause) {
    super(ProblemCode.INTERNAL_ERROR, detail, cause);
  }
}
