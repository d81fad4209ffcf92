import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Gets a linked account's access token from Token Broker and keeps it until shortly before it
 * expires. Works through either door: the broker's own API or OAuth 2.0 Token Exchange.
 */
public final class BrokerTokenClient {

  public enum Door {
    BROKER_API,
    TOKEN_EXCHANGE
  }

  /** The account's grant is dead: a person must link it again (see {@link #relinkHint}). */
  public static final class ReauthorizationRequired extends Exception {
    public final String relinkHint;

    ReauthorizationRequired(String description, String relinkHint) {
      super(description);
      this.relinkHint = relinkHint;
    }
  }

  /** The broker or the provider cannot serve now and no cached token is left: retry later. */
  public static final class Unavailable extends Exception {
    public final Duration retryAfter;

    Unavailable(Duration retryAfter) {
      super("token broker unavailable; retry after " + retryAfter.toSeconds() + " s");
      this.retryAfter = retryAfter;
    }
  }

  /** Fetch a new token this long before the cached one expires. */
  private static final Duration MARGIN = Duration.ofSeconds(60);

  /** Ask the broker for a token that lives at least this long (it refreshes first otherwise). */
  private static final int MIN_TTL_SECONDS = 300;

  private record Cached(String token, Instant expiresAt) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final URI broker;
  private final Supplier<String> callerJwt;
  private final Door door;

  /**
   * @param broker the broker's base URL, e.g. https://token-broker.internal
   * @param callerJwt this service's JWT from your identity provider (asked for on every fetch, so
   *     it may rotate)
   */
  public BrokerTokenClient(URI broker, Supplier<String> callerJwt, Door door) {
    this.broker = broker;
    this.callerJwt = callerJwt;
    this.door = door;
  }

  /** The connection's access token: from the cache while it lives longer than the margin. */
  public String accessToken(String connectionId)
      throws IOException, InterruptedException, ReauthorizationRequired, Unavailable {
    Cached held = cache.get(connectionId);
    if (held != null && Instant.now().isBefore(held.expiresAt().minus(MARGIN))) {
      return held.token();
    }
    HttpResponse<String> response =
        http.send(request(connectionId), HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(response.body());
    int status = response.statusCode();
    String error = body.path("error").asText(""); // token exchange errors (RFC 6749)
    if (status == 200) {
      Instant expiresAt = Instant.now().plusSeconds(body.path("expires_in").asLong(0));
      String token = body.path("access_token").asText();
      cache.put(connectionId, new Cached(token, expiresAt));
      return token;
    }
    if (status == 409 || error.equals("invalid_grant")) {
      // Broker API: 409 reauthorization_required; token exchange: 400 invalid_grant.
      cache.remove(connectionId);
      String description =
          body.has("detail") ? body.path("detail").asText() : body.path("error_description").asText();
      throw new ReauthorizationRequired(description, body.path("reauthorize").toString());
    }
    if (status == 503) {
      if (held != null && Instant.now().isBefore(held.expiresAt())) {
        return held.token(); // still valid: keep using it while the broker cannot help
      }
      long seconds =
          response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(5L);
      throw new Unavailable(Duration.ofSeconds(seconds));
    }
    String code = error.isEmpty() ? body.path("code").asText() : error;
    throw new IOException("token broker answered " + status + " " + code);
  }

  private HttpRequest request(String connectionId) {
    HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(15));
    if (door == Door.BROKER_API) {
      return request
          .uri(broker.resolve("/v1/connections/" + connectionId + "/access-token"))
          .header("Authorization", "Bearer " + callerJwt.get())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"min_ttl_seconds\": " + MIN_TTL_SECONDS + "}"))
          .build();
    }
    String form =
        form(
            Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "resource", "urn:token-broker:connection:" + connectionId,
                "subject_token", callerJwt.get(),
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                "min_ttl_seconds", String.valueOf(MIN_TTL_SECONDS)));
    return request
        .uri(broker.resolve("/v1/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }

  private static String form(Map<String, String> parameters) {
    StringBuilder form = new StringBuilder();
    parameters.forEach(
        (name, value) ->
            form.append(form.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return form.toString();
  }
}
