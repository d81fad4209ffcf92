package io.tokenbroker.token;

import io.quarkus.security.ForbiddenException;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.TokenKind;
import io.tokenbroker.metrics.TokenOutcome;
import io.tokenbroker.problem.BrokerException;
import java.util.function.Supplier;

/** How a token request counts on {@code broker_token_request_seconds}. */
public final class TokenOutcomes {

  private TokenOutcomes() {}

  /**
   * Runs one token request and records its latency and outcome. {@code provider} is asked after the
   * request, when a connection's provider is known; null means unknown.
   */
  public static <T> T timed(
      BrokerMetrics metrics, TokenKind kind, Supplier<String> provider, Supplier<T> request) {
    long started = System.nanoTime();
    TokenOutcome outcome = TokenOutcome.ERROR;
    try {
      T answer = request.get();
      outcome = TokenOutcome.ISSUED;
      return answer;
    } catch (RuntimeException e) {
      outcome = of(e);
      throw e;
    } finally {
      metrics.tokenRequest(provider.get(), kind, outcome, System.nanoTime() - started);
    }
  }

  /** The outcome of a request that failed with {@code failure}. */
  public static TokenOutcome of(Throwable failure) {
    if (failure instanceof ForbiddenException) {
      return TokenOutcome.DENIED;
    }
    if (!(failure instanceof BrokerException broker)) {
      return TokenOutcome.ERROR;
    }
    return switch (broker.code()) {
      case FORBIDDEN -> TokenOutcome.DENIED;
      case NOT_FOUND -> TokenOutcome.NOT_FOUND;
      case INSUFFICIENT_SCOPE -> TokenOutcome.INSUFFICIENT_SCOPE;
      case REAUTHORIZATION_REQUIRED -> TokenOutcome.REAUTHORIZATION_REQUIRED;
      case UPSTREAM_UNAVAILABLE -> TokenOutcome.UPSTREAM_UNAVAILABLE;
      case MALFORMED_REQUEST, VALIDATION_FAILED -> TokenOutcome.INVALID_REQUEST;
      default -> TokenOutcome.ERROR;
    };
  }
}
