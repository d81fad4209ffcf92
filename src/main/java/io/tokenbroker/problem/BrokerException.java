package io.tokenbroker.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The root of every error the broker raises on purpose. It carries the problem as data (a {@link
 * ProblemCode}, a human detail, optional extension members and an optional Retry-After) so that
 * exactly one place, {@link ProblemMapper}, decides how it is written to the wire.
 *
 * <p>The detail is shown to callers: it must never contain a secret or a token.
 */
public class BrokerException extends RuntimeException {

  private final ProblemCode code;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private Duration retryAfter;

  public BrokerException(ProblemCode code, String detail) {
    super(detail);
    this.code = code;
  }

  public BrokerException(ProblemCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
  }

  public ProblemCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  /** Adds an RFC 9457 extension member, e.g. the link that starts a new authorization. */
  public BrokerException with(String member, Object value) {
    extensions.put(member, value);
    return this;
  }

  public BrokerException retryAfter(Duration delay) {
    this.retryAfter = delay;
    return this;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public static BrokerException notFound(String detail) {
    return new BrokerException(ProblemCode.NOT_FOUND, detail);
  }

  public static BrokerException invalid(String detail) {
    return new BrokerException(ProblemCode.VALIDATION_FAILED, detail);
  }

  public static BrokerException forbidden(String detail) {
    return new BrokerException(ProblemCode.FORBIDDEN, detail);
  }
}
