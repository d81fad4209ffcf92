package io.tokenbroker.grant;

import io.tokenbroker.crypto.ClientSecret;
import io.tokenbroker.crypto.SecretStore;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.UpstreamOutcome;
import io.tokenbroker.provider.ClientAuthMethod;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Posts one grant to a provider's token endpoint with the broker's client authentication, and turns
 * the answer into a {@link TokenResponse} or a classified {@link GrantException}.
 *
 * <p>On {@code invalid_client} it re-reads the client secret once and retries with the new and then
 * the previous secret, so an operator can rotate the secret without a restart. The retry is safe
 * for refresh tokens: a provider checks client authentication before it spends a grant.
 */
@ApplicationScoped
public class TokenEndpointClient {

  private static final Logger LOG = Logger.getLogger(TokenEndpointClient.class);

  private final UpstreamClients clients;
  private final SecretStore secrets;
  private final TokenResponseParser parser;
  private final BrokerMetrics metrics;

  TokenEndpointClient(
      UpstreamClients clients,
      SecretStore secrets,
      TokenResponseParser parser,
      BrokerMetrics metrics) {
    this.clients = clients;
    this.secrets = secrets;
    this.parser = parser;
    this.metrics = metrics;
  }

  public TokenResponse request(Provider provider, GrantType grant, Map<String, String> params) {
    ClientSecret secret = secrets.clientSecret(provider.id());
    Attempt attempt = send(provider, grant, params, secret.current());
    if (attempt.isInvalidClient()) {
      ClientSecret fresh = secrets.reload(provider.id());
      List<String> candidates = new ArrayList<>();
      if (!fresh.current().equals(secret.current())) {
        candidates.add(fresh.current());
      }
      fresh.previous().filter(p -> !p.equals(secret.current())).ifPresent(candidates::add);
      for (String candidate : candidates) {
        LOG.infof(
            "provider %s refused the client secret; retrying with a re-read one", provider.id());
        attempt = send(provider, grant, params, candidate);
        if (!attempt.isInvalidClient()) {
          break;
        }
      }
    }
    if (attempt.failure != null) {
      LOG.infof("provider %s %s grant failed: %s", provider.id(), grant.wire(), attempt.failure);
      throw new GrantException(attempt.failure);
    }
    return attempt.response;
  }

  private Attempt send(
      Provider provider, GrantType grant, Map<String, String> params, String secret) {
    long started = System.nanoTime();
    Attempt attempt = exchange(provider, grant, params, secret);
    metrics.upstreamCall(
        provider.id(),
        grant.wire(),
        upstreamOutcome(attempt.failure),
        java.time.Duration.ofNanos(System.nanoTime() - started));
    return attempt;
  }

  /** The metric outcome of a call that failed as {@code failure} says, or succeeded when null. */
  static UpstreamOutcome upstreamOutcome(GrantFailure failure) {
    if (failure == null) {
      return UpstreamOutcome.SUCCESS;
    }
    return switch (failure.kind()) {
      case INVALID_GRANT -> UpstreamOutcome.INVALID_GRANT;
      case INVALID_CLIENT -> UpstreamOutcome.INVALID_CLIENT;
      // Told apart on broker_refresh_total; here a round trip that got no verdict.
      case TRANSIENT, PROVIDER_MISBEHAVING -> UpstreamOutcome.TRANSIENT_ERROR;
      case UNAUTHORIZED_CLIENT, INVALID_SCOPE, REJECTED -> UpstreamOutcome.PERMANENT_ERROR;
    };
  }

  private Attempt exchange(
      Provider provider, GrantType grant, Map<String, String> params, String secret) {
    MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
    form.add("grant_type", grant.wire());
    params.forEach(form::add);
    provider.tokenParams().forEach(form::add);
    String authorization = null;
    if (provider.clientAuth() == ClientAuthMethod.BASIC) {
      authorization = basic(provider.clientId(), secret);
    } else {
      form.add("client_id", provider.clientId());
      form.add("client_secret", secret);
    }
    String auth = authorization;
    try (Response answer =
        UpstreamClients.answer(
            () -> clients.forEndpoint(provider, provider.tokenEndpoint()).postForm(auth, form))) {
      return parser.parse(grant, answer);
    } catch (ProcessingException e) {
      return Attempt.failed(UpstreamFailures.fromIoFailure(e));
    }
  }

  /** RFC 6749 section 2.3.1: both parts are form-urlencoded before they are joined. */
  static String basic(String clientId, String secret) {
    String pair =
        URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + ":"
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** One round trip: exactly one of the two fields is set. */
  record Attempt(TokenResponse response, GrantFailure failure) {
    static Attempt ok(TokenResponse response) {
      return new Attempt(response, null);
    }

    static Attempt failed(GrantFailure failure) {
      return new Attempt(null, failure);
    }

    boolean isInvalidClient() {
      return failure != null && failure.kind() == GrantFailure.Kind.INVALID_CLIENT;
    }
  }
}
