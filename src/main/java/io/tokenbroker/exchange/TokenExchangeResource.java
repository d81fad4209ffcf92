package io.tokenbroker.exchange;

import io.quarkus.security.AuthenticationFailedException;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerTokenAuthentication;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.CallerAuthFailure;
import io.tokenbroker.metrics.TokenKind;
import io.tokenbroker.token.ClientTokenService;
import io.tokenbroker.token.ConnectionTokenService;
import io.tokenbroker.token.IssuedToken;
import io.tokenbroker.token.TokenCache;
import io.tokenbroker.token.TokenOutcomes;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/token}: the OAuth 2.0 Token Exchange door (RFC 8693) beside the broker's own API.
 * It reads the form, finds out who the caller is exactly as every {@code /v1} call does, and asks
 * the same token services, timed by the same metric; only the wire format differs. See
 * docs/token-exchange.md for the contract.
 */
@Path("/v1/token")
@Tag(name = "Token exchange", description = "OAuth 2.0 Token Exchange (RFC 8693)")
public class TokenExchangeResource {

  private final CallerTokenAuthentication callers;
  private final ConnectionTokenService connectionTokens;
  private final ClientTokenService clientTokens;
  private final BrokerMetrics metrics;
  private final TokenCache cache;
  private final FailureTranslation failures;

  TokenExchangeResource(
      CallerTokenAuthentication callers,
      ConnectionTokenService connectionTokens,
      ClientTokenService clientTokens,
      BrokerMetrics metrics,
      TokenCache cache,
      FailureTranslation failures) {
    this.callers = callers;
    this.connectionTokens = connectionTokens;
    this.clientTokens = clientTokens;
    this.metrics = metrics;
    this.cache = cache;
    this.failures = failures;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Exchange the caller's JWT for an upstream access token (RFC 8693)",
      description =
          "Form-encoded token request with grant_type=urn:ietf:params:oauth:grant-type:token-exchange."
              + " The caller authenticates with 'Authorization: Bearer <caller JWT>' or, without"
              + " that header, sends the same JWT as subject_token with subject_token_type="
              + "urn:ietf:params:oauth:token-type:jwt. Role token-consumer; the caller must be"
              + " allowed on the connection or provider. Errors are RFC 6749 JSON, not"
              + " problem+json.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = FormBody.MEDIA_TYPE,
              schema =
                  @Schema(
                      type = SchemaType.OBJECT,
                      requiredProperties = {"grant_type"},
                      properties = {
                        @SchemaProperty(
                            name = "grant_type",
                            enumeration = ExchangeParameters.GRANT_TYPE),
                        @SchemaProperty(
                            name = "resource",
                            description =
                                "urn:token-broker:connection:<id> or"
                                    + " urn:token-broker:provider:<provider>"),
                        @SchemaProperty(
                            name = "audience",
                            description =
                                "a connection id; the same as resource=...connection:<id>"),
                        @SchemaProperty(
                            name = "scope",
                            description = "space-separated scopes the token must carry"),
                        @SchemaProperty(
                            name = "requested_token_type",
                            enumeration = ExchangeParameters.ACCESS_TOKEN_TYPE),
                        @SchemaProperty(
                            name = "subject_token",
                            description = "the caller JWT, when no Authorization header is sent"),
                        @SchemaProperty(
                            name = "subject_token_type",
                            enumeration = ExchangeParameters.JWT_TOKEN_TYPE),
                        @SchemaProperty(
                            name = "min_ttl_seconds",
                            type = SchemaType.INTEGER,
                            description = "refresh first when the token would live less than this")
                      })))
  @APIResponse(
      responseCode = "200",
      description = "The token (Cache-Control: no-store)",
      content = @Content(schema = @Schema(implementation = ExchangeResponse.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "invalid_request, unsupported_grant_type, invalid_target, invalid_scope, or invalid_grant"
              + " (the account must be linked again; 'reauthorize' says how)",
      content = @Content(schema = @Schema(implementation = OAuthErrorDocument.class)))
  @APIResponse(
      responseCode = "401",
      description = "invalid_client: no valid caller JWT",
      headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE),
      content = @Content(schema = @Schema(implementation = OAuthErrorDocument.class)))
  @APIResponse(
      responseCode = "503",
      description = "temporarily_unavailable: retry after Retry-After seconds",
      headers = @Header(name = HttpHeaders.RETRY_AFTER),
      content = @Content(schema = @Schema(implementation = OAuthErrorDocument.class)))
  public Response exchange(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      String body,
      RoutingContext routing) {
    ExchangeParameters asked = null;
    try {
      FormBody form = FormBody.parse(contentType, body);
      ExchangeParameters.requireGrantType(form);
      Caller caller = authenticate(authorization, form, routing);
      asked = ExchangeParameters.read(form);
      return noStore(Response.ok(ExchangeResponse.of(issue(caller, asked))));
    } catch (RuntimeException e) {
      return failures.translate(e, asked).toResponse();
    }
  }

  /**
   * The caller, verified as on {@code /v1}. A refusal counts in {@code
   * broker_caller_auth_failures_total} once, by the same reasons as on {@code /v1}: a verdict on an
   * {@code Authorization} header is counted by the gate in front of every request ({@code
   * caller.AnonymousRequestGate}), so only what that gate lets through is counted here, a request
   * without any credential and a {@code subject_token} in the body that fails verification.
   */
  private Caller authenticate(String authorization, FormBody form, RoutingContext routing) {
    boolean fromHeader = authorization != null && !authorization.isBlank();
    String jwt;
    try {
      jwt = CallerCredential.of(authorization, form);
    } catch (OAuthError e) {
      if (e.status() == 401 && !fromHeader) {
        metrics.callerAuthFailure(CallerAuthFailure.MISSING);
      }
      throw e;
    }
    try {
      return callers.authenticate(jwt, routing);
    } catch (AuthenticationFailedException e) {
      if (!fromHeader) {
        metrics.callerAuthFailure(CallerAuthFailure.INVALID);
      }
      throw e;
    }
  }

  /** The same service call, timed by the same meter, as the broker's own token endpoints. */
  private IssuedToken issue(Caller caller, ExchangeParameters asked) {
    ExchangeTarget target = asked.target();
    if (target.isConnection()) {
      return TokenOutcomes.timed(
          metrics,
          TokenKind.CONNECTION,
          () ->
              target
                  .connection()
                  .flatMap(cache::lastKnown)
                  .map(ConnectionSnapshot::provider)
                  .orElse(null),
          () -> connectionTokens.issue(caller, target.connectionId(), asked.request()));
    }
    return TokenOutcomes.timed(
        metrics,
        TokenKind.CLIENT,
        target::provider,
        () -> clientTokens.issue(caller, target.provider(), asked.request()));
  }

  /** RFC 6749 section 5.1: token responses must not be cached. */
  private static Response noStore(Response.ResponseBuilder response) {
    return response
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Pragma", "no-cache")
        .build();
  }
}
