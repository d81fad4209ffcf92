package io.tokenbroker.authorization;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.ConnectionChanged;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.connection.LinkedGrant;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.grant.AuthorizationCodeGrant;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.metrics.AuthorizationOutcome;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.PkceMode;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The authorization-code flow (RFC 6749 section 4.1 with RFC 7636 PKCE and the RFC 9700 state
 * rules): {@link #start} records a single-use, expiring request bound to its provider; {@link
 * #complete} consumes it exactly once, exchanges the code and links the account.
 */
@ApplicationScoped
public class AuthorizationService {

  static final String TABLE = "authorization_request";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProviderCatalog providers;
  private final ReturnToPolicy returnTo;
  private final AuthorizationConfig config;
  private final TokenCipher cipher;
  private final AuthorizationCodeGrant codeGrant;
  private final AccountLookup accounts;
  private final AuditTrail audit;
  private final EntityManager em;
  private final BrokerMetrics metrics;
  private final AccountLinking linking;
  private final Event<ConnectionChanged> changed;

  AuthorizationService(
      ProviderCatalog providers,
      ReturnToPolicy returnTo,
      AuthorizationConfig config,
      TokenCipher cipher,
      AuthorizationCodeGrant codeGrant,
      AccountLookup accounts,
      AuditTrail audit,
      EntityManager em,
      BrokerMetrics metrics,
      AccountLinking linking,
      Event<ConnectionChanged> changed) {
    this.providers = providers;
    this.returnTo = returnTo;
    this.config = config;
    this.cipher = cipher;
    this.codeGrant = codeGrant;
    this.accounts = accounts;
    this.audit = audit;
    this.em = em;
    this.metrics = metrics;
    this.linking = linking;
    this.changed = changed;
  }

  public AuthorizationStarted start(StartAuthorization body, String requestedBy) {
    return start(body, requestedBy, null);
  }

  /** As {@link #start}, on behalf of {@code source}, which the callback then asks (see there). */
  public AuthorizationStarted startFor(
      AuthorizationSource source, String reference, StartAuthorization body, String requestedBy) {
    return start(body, requestedBy, AuthorizationSources.name(source, reference));
  }

  /** The scopes {@link #start} would request (checked the same way), e.g. for a connect link. */
  public Set<String> checkScopes(String providerId, List<String> asked) {
    return RequestedScopes.of(linkingProvider(providerId), asked);
  }

  private Provider linkingProvider(String providerId) {
    Provider provider = providers.require(providerId);
    if (!provider.supportsAuthorizationCode()) {
      throw BrokerException.invalid(
          "Provider '" + provider.id() + "' is not configured for linking accounts.");
    }
    return provider;
  }

  private AuthorizationStarted start(StartAuthorization body, String requestedBy, String source) {
    Provider provider = linkingProvider(body.provider());
    Set<String> scopes = RequestedScopes.of(provider, body.scopes());
    Optional<URI> back = Optional.ofNullable(body.returnTo()).map(returnTo::check);

    String state = random(32);
    Optional<String> verifier =
        provider.pkce() == PkceMode.S256 ? Optional.of(Pkce.newVerifier()) : Optional.empty();
    Instant now = Instant.now();
    AuthorizationRequest request = new AuthorizationRequest();
    request.stateHash = hash(state);
    request.provider = provider.id();
    request.scopes = Scopes.format(scopes);
    request.redirectUri = provider.redirectUri().orElseThrow().toString();
    request.returnTo = back.map(URI::toString).orElse(null);
    request.allowedCallers =
        body.allowedCallers() == null
            ? null
            : String.join(",", new TreeSet<>(body.allowedCallers()));
    request.label = body.label();
    request.pkceVerifierEnc =
        verifier
            .map(v -> cipher.encrypt(v, TokenCipher.aad(TABLE, request.stateHash, "pkce_verifier")))
            .orElse(null);
    request.requestedBy = requestedBy;
    request.source = source;
    request.createdAt = now;
    request.expiresAt = now.plus(config.requestTtl());
    QuarkusTransaction.requiringNew().run(request::persist);
    audit.record(
        AuditEntry.of(AuditAction.AUTHORIZATION_STARTED, requestedBy).provider(provider.id()));
    metrics.authorization(provider.id(), AuthorizationOutcome.STARTED);

    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", provider.clientId());
    query.put("redirect_uri", request.redirectUri);
    query.put("scope", provider.joinScopes(scopes));
    query.put("state", state);
    verifier.ifPresent(
        v -> {
          query.put("code_challenge", Pkce.challenge(v));
          query.put("code_challenge_method", "S256");
        });
    provider.authorizationParams().forEach(query::putIfAbsent);
    return new AuthorizationStarted(
        withQuery(provider.authorizationEndpoint().orElseThrow().toString(), query),
        state,
        request.expiresAt);
  }

  /**
   * Consumes the state (exactly once, even under concurrent replays), then either records the
   * person's refusal or exchanges the code and links the account.
   */
  public CallbackOutcome complete(CallbackParams params) {
    if (params.state().isEmpty()) {
      metrics.authorization(params.provider().orElse(null), AuthorizationOutcome.INVALID_STATE);
      throw new CallbackException("missing_state", "The link has no state parameter.", null);
    }
    String stateHash = hash(params.state().get());
    AuthorizationRequest request = consume(stateHash);
    if (params.provider().isPresent() && !params.provider().get().equals(request.provider)) {
      throw notLinked(
          AuditEntry.of(AuditAction.AUTHORIZATION_FAILED, request.requestedBy)
              .outcome("wrong_provider")
              .provider(request.provider),
          AuthorizationOutcome.INVALID_STATE,
          new CallbackException(
              "invalid_state", "This link was not started for this provider.", null));
    }
    Provider provider = providers.require(request.provider);
    Optional<String> back = Optional.ofNullable(request.returnTo);
    if (params.error().isPresent()) {
      String error = params.error().get().matches("[a-z_]{1,64}") ? params.error().get() : "error";
      return notLinked(
          failed(request, provider).outcome(error).detail("denied at provider"),
          AuthorizationOutcome.DENIED,
          CallbackOutcome.failed(error, back));
    }
    if (params.code().isEmpty()) {
      throw notLinked(
          failed(request, provider).outcome("missing_code"),
          AuthorizationOutcome.FAILED,
          new CallbackException(
              "missing_code", "The provider sent no authorization code.", back.orElse(null)));
    }
    Optional<String> verifier =
        Optional.ofNullable(request.pkceVerifierEnc)
            .map(
                enc ->
                    cipher.decrypt(
                        enc, TokenCipher.aad(TABLE, request.stateHash, "pkce_verifier")));
    TokenResponse tokens;
    AccountLookup.Account account;
    try {
      tokens = codeGrant.exchange(provider, params.code().get(), request.redirectUri, verifier);
      account = accounts.lookup(provider, tokens.accessToken());
    } catch (BrokerException e) {
      throw notLinked(
          failed(request, provider).outcome(e.code().code()).detail(e.detail()),
          AuthorizationOutcome.FAILED,
          unavailable(e)
              ? new CallbackException(
                  "provider_unavailable",
                  "The provider could not be reached or did not answer in time. Please start"
                      + " linking again in a moment.",
                  back.orElse(null))
              : new CallbackException(
                  "exchange_failed",
                  "The provider did not accept the authorization.",
                  back.orElse(null)));
    }
    Set<String> granted =
        tokens.scopes().isEmpty() ? Scopes.parse(request.scopes) : tokens.scopes();
    LinkedGrant grant =
        new LinkedGrant(
            provider.id(),
            account.id(),
            account.name(),
            tokens,
            granted,
            request.allowedCallers == null
                ? Set.of()
                : Arrays.stream(request.allowedCallers.split(","))
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet()),
            Optional.ofNullable(request.label),
            request.requestedBy);
    String accountName = account.name().orElse(account.id());
    ConnectionStore.Linked linked =
        linking.link(grant, request.source, accountName, request.requestedBy);
    // Committed: this replica's cached copy (old callers, old token) goes now, not at the next
    // poll.
    changed.fire(new ConnectionChanged(linked.connectionId()));
    audit.record(
        AuditEntry.of(AuditAction.AUTHORIZATION_COMPLETED, request.requestedBy)
            .outcome(
                linked.created()
                    ? "created"
                    : linked.callerChange() == ConnectionStore.CallerChange.RESET_AFTER_DELETE
                        ? "relinked_after_delete"
                        : "updated")
            .provider(provider.id())
            .connection(linked.connectionId())
            .detail(linked.callersDetail()));
    metrics.authorization(provider.id(), AuthorizationOutcome.COMPLETED);
    return CallbackOutcome.linked(
        linked.connectionId(), back, Optional.ofNullable(request.source), accountName);
  }

  private static AuditEntry failed(AuthorizationRequest request, Provider provider) {
    return AuditEntry.of(AuditAction.AUTHORIZATION_FAILED, request.requestedBy)
        .provider(provider.id());
  }

  /**
   * Audits and counts a callback that linked nothing, and hands back {@code answer}: the exception
   * to throw, or the outcome to show.
   */
  private <T> T notLinked(AuditEntry entry, AuthorizationOutcome counted, T answer) {
    audit.record(entry);
    metrics.authorization(entry.provider(), counted);
    return answer;
  }

  /** Marks the request used, atomically; tells apart unknown, expired and replayed states. */
  private AuthorizationRequest consume(String stateHash) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Instant now = Instant.now();
              int claimed =
                  em.createQuery(
                          "update AuthorizationRequest r set r.consumedAt = :now"
                              + " where r.stateHash = :hash and r.consumedAt is null and r.expiresAt > :now")
                      .setParameter("now", now)
                      .setParameter("hash", stateHash)
                      .executeUpdate();
              AuthorizationRequest request = em.find(AuthorizationRequest.class, stateHash);
              if (request == null) {
                metrics.authorization(null, AuthorizationOutcome.INVALID_STATE);
                throw new CallbackException(
                    "invalid_state", "This link is unknown. Start again.", null);
              }
              if (claimed == 0) {
                metrics.authorization(request.provider, AuthorizationOutcome.INVALID_STATE);
                boolean expired = request.expiresAt.isBefore(now) && request.consumedAt == null;
                throw new CallbackException(
                    expired ? "expired_state" : "replayed_state",
                    expired ? "This link has expired. Start again." : "This link was already used.",
                    null);
              }
              em.detach(request);
              return request;
            });
  }

  static String hash(String state) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static String withQuery(String base, Map<String, String> query) {
    String encoded =
        query.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return base + (base.contains("?") ? "&" : "?") + encoded;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An outage or timeout, not a refusal: the person may simply try again. */
  private static boolean unavailable(BrokerException e) {
    return e.code().status() == 503;
  }
}
