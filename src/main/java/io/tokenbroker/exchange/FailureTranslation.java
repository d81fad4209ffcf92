package io.tokenbroker.exchange;

import io.quarkus.security.AuthenticationFailedException;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.Problem;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.problem.ProblemMapper;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.token.TokenConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a failure of the token services into the RFC 6749 error this door answers. The failure is
 * first classified by {@link ProblemMapper}, the one place that decides what a failure is (and logs
 * and counts it as the broker's own API would); this class only renames the result.
 */
@ApplicationScoped
class FailureTranslation {

  /** What a 503 without a Retry-After of its own tells the caller to wait. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private final ProblemMapper problems;
  private final TokenConfig tokens;
  private final ProviderCatalog providers;

  FailureTranslation(ProblemMapper problems, TokenConfig tokens, ProviderCatalog providers) {
    this.problems = problems;
    this.tokens = tokens;
    this.providers = providers;
  }

  OAuthError translate(RuntimeException failure, ExchangeParameters asked) {
    if (failure instanceof OAuthError error) {
      return error;
    }
    if (failure instanceof AuthenticationFailedException) {
      return OAuthError.invalidClient();
    }
    Response mapped =
        failure instanceof BrokerException broker
            ? problems.brokerException(broker)
            : problems.unexpected(failure);
    ProblemCode code =
        failure instanceof BrokerException broker
            ? broker.code()
            : ProblemCode.forStatus(mapped.getStatus());
    Problem problem = (Problem) mapped.getEntity();
    String detail = problem.detail();
    return switch (code) {
      case NOT_FOUND, FORBIDDEN -> OAuthError.invalidTarget();
      case INSUFFICIENT_SCOPE -> {
        OAuthError error = OAuthError.invalidScope(detail);
        String granted = scopeOf(problem);
        yield granted == null ? error : error.with("granted_scope", granted);
      }
      case VALIDATION_FAILED, MALFORMED_REQUEST -> invalidParameter(asked, detail);
      case REAUTHORIZATION_REQUIRED -> {
        OAuthError error = new OAuthError(400, OAuthError.INVALID_GRANT, detail);
        extensions(problem).forEach(error::with);
        yield error;
      }
      case UPSTREAM_UNAVAILABLE, SERVICE_UNAVAILABLE ->
          new OAuthError(503, OAuthError.TEMPORARILY_UNAVAILABLE, detail)
              .retryAfter(retryAfter(mapped));
      case UNAUTHENTICATED -> OAuthError.invalidClient();
      default -> new OAuthError(mapped.getStatus(), OAuthError.SERVER_ERROR, detail);
    };
  }

  /**
   * The services refuse three things as plain validation failures: a minimum lifetime over the
   * configured limit, and (app tokens only) a provider that issues none or a scope it does not
   * allow. Which one it was is told from the request, not from the wording of the detail.
   */
  private OAuthError invalidParameter(ExchangeParameters asked, String detail) {
    if (asked == null) {
      return OAuthError.invalidRequest(detail);
    }
    Integer minTtl = asked.request().minTtlSeconds();
    if (minTtl != null && minTtl > tokens.maxMinTtl().toSeconds()) {
      return OAuthError.invalidRequest(detail);
    }
    if (asked.target().isConnection()) {
      return OAuthError.invalidRequest(detail);
    }
    boolean issuesAppTokens =
        providers
            .find(asked.target().provider())
            .map(Provider::clientCredentialsEnabled)
            .orElse(false);
    return issuesAppTokens
        ? OAuthError.invalidScope(detail)
        : new OAuthError(400, OAuthError.INVALID_TARGET, detail);
  }

  private static Duration retryAfter(Response mapped) {
    String header = mapped.getHeaderString(HttpHeaders.RETRY_AFTER);
    try {
      return header == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(header));
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_AFTER;
    }
  }

  private static Map<String, Object> extensions(Problem problem) {
    return problem.extensions() == null ? Map.of() : problem.extensions();
  }

  private static String scopeOf(Problem problem) {
    Object granted = extensions(problem).get("granted_scopes");
    return granted instanceof Collection<?> scopes
        ? String.join(" ", scopes.stream().map(String::valueOf).toList())
        : null;
  }
}
