package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A <strong>stand-in</strong> for Pinterest's OAuth 2.0 server (API v5), for tests only: a real
 * HTTP server on a random loopback port that enforces what Pinterest enforces, so that the broker
 * is tested against Pinterest's rules rather than against our own assumptions. It is not Pinterest:
 * where Pinterest's behaviour is undocumented, the choice made here is stated (and listed in this
 * package's README.md).
 *
 * <p>Endpoints (paths as at Pinterest; hosts are this server):
 *
 * <ul>
 *   <li>{@code GET /oauth/} — authorization: {@code client_id} must be the app's; {@code
 *       redirect_uri} exactly a registered one (else a 400 page, no redirect); {@code
 *       response_type=code}; {@code scope} comma-separated, each one of {@link PinterestScopes#ALL}
 *       (else 302 {@code error=unsupported_response_type} / {@code invalid_scope}). The signed-in
 *       account consents at once: 302 to {@code redirect_uri?code=…&state=…}, or {@code
 *       error=access_denied&state=…} after {@link #denyConsent(boolean) denyConsent(true)}. PKCE
 *       parameters are ignored, as Pinterest does, and recorded.
 *   <li>{@code POST /v5/oauth/token} — {@code application/x-www-form-urlencoded} only (400 code 1);
 *       HTTP Basic client authentication with an accepted secret (401 {@code {"code":2,
 *       "message":"Authentication failed."}}); grants {@code authorization_code} (code single use,
 *       10 minutes, {@code redirect_uri} equal to the authorization request's), {@code
 *       refresh_token} (strictly single use, every refresh returns a new 60-day refresh token,
 *       optional comma-separated {@code scope} narrows the new access token) and {@code
 *       client_credentials} ({@code scope} required, no refresh token). A bad code or refresh token
 *       is answered {@code 400 {"code":283,"message":"The authorization grant is invalid"}} — the
 *       body a Pinterest SDK user reported (pinterest-python-sdk#114), the status our choice (that
 *       report says 401; switch with {@link #invalidGrantStatus(int)}).
 *   <li>{@code GET /v5/user_account} — live bearer token with {@code user_accounts:read}, else 401
 *       code 2 (bad token) or 401 code 3 (scope missing).
 *   <li>{@code /v5/boards}, {@code /v5/boards/{board_id}} — the boards API ({@link
 *       BoardsEndpoint}), for the broker's API proxy. Every {@code /v5} API answer carries {@code
 *       x-ratelimit-*} headers, and each API request is recorded ({@link #apiRequests()}).
 *   <li>{@code POST /v5/oauth/token/revoke} — Basic auth, form {@code token}, optional {@code
 *       token_type_hint}; 200 and the token stops working.
 * </ul>
 *
 * <p>Thread-safe: tests reconfigure it while the broker calls it. {@link #stop()} keeps all state
 * and the port, so {@link #start()} again (or {@link #restart()}) models an outage.
 */
public final class PinterestStandIn implements AutoCloseable {

  /** The app id a fresh stand-in is registered with. */
  public static final String DEFAULT_CLIENT_ID = "1481349";

  /** The app secret a fresh stand-in accepts. */
  public static final String DEFAULT_CLIENT_SECRET = "stand-in-app-secret";

  public static final String AUTHORIZATION_PATH = "/oauth/";
  public static final String TOKEN_PATH = "/v5/oauth/token";
  public static final String REVOCATION_PATH = "/v5/oauth/token/revoke";
  public static final String ACCOUNT_PATH = "/v5/user_account";
  public static final String API_BASE_PATH = "/v5/";

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final StandInJournal journal = new StandInJournal();
  private final AuthorizeEndpoint authorize;
  private final TokenEndpoint token;
  private final UserAccountEndpoint account;
  private final RevocationEndpoint revocation;
  private final ApiExchanges api;
  private final BoardsEndpoint boards;
  private final int instance = INSTANCES.incrementAndGet();

  private HttpServer server;
  private ExecutorService executor;
  private int port;

  /**
   * A stand-in for the app {@link #DEFAULT_CLIENT_ID} with secret {@link #DEFAULT_CLIENT_SECRET}.
   */
  public PinterestStandIn() {
    this(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
  }

  public PinterestStandIn(String clientId, String clientSecret) {
    this.settings =
        new StandInSettings(
            Objects.requireNonNull(clientId, "clientId"),
            Objects.requireNonNull(clientSecret, "clientSecret"));
    this.ledger = new PinterestLedger(clientId);
    this.authorize = new AuthorizeEndpoint(settings, ledger, journal);
    this.token = new TokenEndpoint(settings, ledger, journal);
    this.api = new ApiExchanges(settings, journal);
    this.boards = new BoardsEndpoint(settings, ledger, api);
    this.account = new UserAccountEndpoint(settings, ledger, journal, api);
    this.revocation = new RevocationEndpoint(settings, ledger, journal);
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /**
   * Listens on 127.0.0.1: a random free port the first time, the same port on every later start.
   * Does nothing when already running.
   */
  public synchronized PinterestStandIn start() {
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("stand-in could not listen on port " + port, e);
    }
    executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", this::route);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  /** Stops listening (connections are refused) but keeps every token, setting and the port. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    // Interrupts answers held by faults or slow mode, so stop() is prompt.
    executor.shutdownNow();
    server = null;
    executor = null;
  }

  /** {@link #stop()} then {@link #start()} on the same port. */
  public synchronized void restart() {
    stop();
    start();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public void close() {
    stop();
  }

  // --- where it is -------------------------------------------------------------------------

  /** The port; 0 before the first start. */
  public synchronized int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}; the stand-in must have been started once. */
  public URI baseUri() {
    int p = port();
    if (p == 0) {
      throw new IllegalStateException("the stand-in has not been started");
    }
    return URI.create("http://127.0.0.1:" + p);
  }

  /** Pinterest: {@code https://www.pinterest.com/oauth/}. */
  public String authorizationEndpoint() {
    return baseUri() + AUTHORIZATION_PATH;
  }

  /** Pinterest: {@code https://api.pinterest.com/v5/oauth/token}. */
  public String tokenEndpoint() {
    return baseUri() + TOKEN_PATH;
  }

  /** Pinterest: {@code https://api.pinterest.com/v5/user_account}. */
  public String accountEndpoint() {
    return baseUri() + ACCOUNT_PATH;
  }

  /** Pinterest: {@code https://api.pinterest.com/v5/}, the root of the API. */
  public String apiBaseUrl() {
    return baseUri() + API_BASE_PATH;
  }

  /** Pinterest: {@code https://api.pinterest.com/v5/oauth/token/revoke}. */
  public String revocationEndpoint() {
    return baseUri() + REVOCATION_PATH;
  }

  // --- the app registration ----------------------------------------------------------------

  public String clientId() {
    return settings.clientId;
  }

  /** The secret the stand-in was created with (accepted until {@link #acceptClientSecrets}). */
  public String initialClientSecret() {
    return settings.initialSecret;
  }

  /** Replaces the set of secrets the token and revocation endpoints accept (secret rotation). */
  public void acceptClientSecrets(String... secrets) {
    settings.acceptedSecrets = Set.copyOf(Arrays.asList(secrets));
  }

  /** Registers a redirect URI; authorization requests must use a registered one exactly. */
  public void registerRedirectUri(String redirectUri) {
    settings.redirectUris.add(Objects.requireNonNull(redirectUri));
  }

  /**
   * Accepts {@code http://localhost:<any port><path>} and {@code http://127.0.0.1:<any port><path>}
   * as redirect URIs (RFC 8252 §7.3 loopback rule) — for a callback whose port is not known when
   * the stand-in is set up. Stricter than nothing, looser than Pinterest: prefer {@link
   * #registerRedirectUri} when the port is known.
   */
  public void registerLoopbackRedirectPath(String path) {
    settings.loopbackRedirectPaths.add(Objects.requireNonNull(path));
  }

  /** The exactly registered redirect URIs. */
  public Set<String> redirectUris() {
    return Set.copyOf(settings.redirectUris);
  }

  // --- the person at the browser -----------------------------------------------------------

  /** The account (created on first use) that consents at {@code /oauth/} from now on. */
  public PinterestAccount signInAs(String username) {
    settings.signedInUsername = Objects.requireNonNull(username);
    return ledger.account(username);
  }

  /** The account that consents at {@code /oauth/}; initially {@code stand-in-pinner}. */
  public PinterestAccount signedInAccount() {
    return ledger.account(settings.signedInUsername);
  }

  /** When true, the person refuses: 302 with {@code error=access_denied&state=…}. */
  public void denyConsent(boolean deny) {
    settings.denyConsent = deny;
  }

  /**
   * Mints a grant as if {@code username} had linked the app with {@code scopes}, without the
   * browser round trip: a test can hand the tokens to the broker as a stored connection.
   */
  public IssuedTokens issueGrant(String username, String... scopes) {
    Set<String> granted = new LinkedHashSet<>(Arrays.asList(scopes));
    Set<String> unknown = PinterestScopes.unknown(List.copyOf(granted));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not Pinterest v5 scopes: " + unknown);
    }
    PinterestLedger.Minted minted =
        ledger.mint(
            ledger.account(username),
            granted,
            granted,
            settings.now(),
            settings.accessTokenLifetime,
            settings.refreshTokenLifetime,
            true);
    return new IssuedTokens(
        minted.account(),
        minted.accessToken(),
        minted.accessExpiresAt(),
        minted.refreshToken(),
        minted.refreshExpiresAt(),
        Set.copyOf(granted));
  }

  /**
   * Issues an authorization code as if {@code username} had consented at {@code /oauth/} for {@code
   * redirectUri}, without the browser round trip: a test can exchange it directly.
   */
  public String issueCode(String username, String redirectUri, String... scopes) {
    return ledger.issueCode(
        ledger.account(username),
        redirectUri,
        new LinkedHashSet<>(Arrays.asList(scopes)),
        settings.now().plus(settings.codeLifetime));
  }

  // --- lifetimes and clock -----------------------------------------------------------------

  /** {@code expires_in} of new access tokens; default 30 days (2592000 s). */
  public void accessTokenLifetime(Duration lifetime) {
    settings.accessTokenLifetime = positive(lifetime);
  }

  /** Lifetime of new refresh tokens; default 60 days (5184000 s, continuous refresh). */
  public void refreshTokenLifetime(Duration lifetime) {
    settings.refreshTokenLifetime = positive(lifetime);
  }

  /** Lifetime of new authorization codes; default 10 minutes (Pinterest's is undocumented). */
  public void authorizationCodeLifetime(Duration lifetime) {
    settings.codeLifetime = positive(lifetime);
  }

  /**
   * Moves the stand-in's clock forward, so issued codes and tokens expire without waiting. Only
   * this server's clock moves; {@code refresh_token_expires_at} of new tokens follows it.
   */
  public void advanceClock(Duration by) {
    settings.clockOffset = settings.clockOffset.plus(by);
  }

  /** The stand-in's current time. */
  public Instant now() {
    return settings.now();
  }

  // --- faults ------------------------------------------------------------------------------

  /** Queues scripted answers for the next token-endpoint requests, one fault per request. */
  public void enqueueTokenFaults(TokenEndpointFault... faults) {
    for (TokenEndpointFault fault : faults) {
      journal.enqueue(Objects.requireNonNull(fault));
    }
  }

  /**
   * Answers every token request with {@code fault} once the queued faults are used up, until {@link
   * #healthy()} or a reset: an outage of the whole token endpoint (e.g. a CDN error page).
   */
  public void answerEveryTokenRequestWith(TokenEndpointFault fault) {
    journal.standingFault(Objects.requireNonNull(fault));
  }

  /** Ends {@link #answerEveryTokenRequestWith}: token requests are processed normally again. */
  public void healthy() {
    journal.standingFault(null);
  }

  /** Queued faults not yet consumed. */
  public int pendingTokenFaults() {
    return journal.pendingFaults();
  }

  /** Delays every {@code /v5} answer by {@code delay}; {@link Duration#ZERO} turns it off. */
  public void slowMode(Duration delay) {
    settings.slowMode = Objects.requireNonNull(delay);
  }

  /**
   * The HTTP status of the invalid-grant answer (default 400). Pinterest's is undocumented; a 2023
   * report (pinterest-python-sdk#114) shows 401 with code 283, so tests can cover both.
   */
  public void invalidGrantStatus(int status) {
    settings.invalidGrantStatus = status;
  }

  /**
   * Pinterest documents revocation as "only tokens issued for system users are currently
   * supported"; when true, revocation answers 403 {@code {"code":29,...}} and revokes nothing.
   */
  public void refuseRevocation(boolean refuse) {
    settings.refuseRevocation = refuse;
  }

  /**
   * The person withdrew the app's access: every refresh and access token of the account is refused
   * from now on. A new consent at {@code /oauth/} starts a new, working grant.
   */
  public void killGrant(String accountId) {
    ledger.killGrant(accountId);
  }

  // --- what happened -----------------------------------------------------------------------

  /** Token-endpoint requests so far, whatever their outcome (faulted ones included). */
  public int tokenCalls() {
    return journal.tokenCalls();
  }

  /** Token-endpoint requests with this {@code grant_type} ({@code ""} when absent). */
  public int tokenCalls(String grantType) {
    return journal.tokenCalls(grantType);
  }

  /**
   * Waits until at least {@code count} token requests have arrived (counted as they arrive, before
   * any held or delayed answer); false on timeout.
   */
  public boolean awaitTokenCalls(int count, Duration timeout) throws InterruptedException {
    return journal.awaitTokenCalls(count, timeout.toMillis());
  }

  /** Codes and refresh tokens refused as invalid grants (unknown, reused, expired, revoked). */
  public int invalidGrantRefusals() {
    return journal.invalidGrantRefusals();
  }

  /** Answers the next {@code calls} user_account requests with Pinterest's 429 rate-limit error. */
  public void rateLimitAccountCalls(int calls) {
    settings.rateLimitedAccountCalls.set(calls);
  }

  public int accountCalls() {
    return journal.accountCalls();
  }

  public int revocationCalls() {
    return journal.revocationCalls();
  }

  /** Requests to the API endpoints ({@code /v5/user_account}, {@code /v5/boards…}), in order. */
  public List<ApiRequest> apiRequests() {
    return journal.apiRequests();
  }

  /** API request body bytes read so far, counted while bodies still stream in. */
  public long apiBodyBytes() {
    return journal.apiBodyBytes();
  }

  /** Waits until API request bodies have brought at least {@code bytes}; false on timeout. */
  public boolean awaitApiBodyBytes(long bytes, Duration timeout) throws InterruptedException {
    return journal.awaitApiBodyBytes(bytes, timeout.toMillis());
  }

  /** Adds a header to every API answer from now on (until {@link #reset()}). */
  public void addApiResponseHeader(String name, String value) {
    settings.extraApiHeaders.put(name, value);
  }

  /** Revokes one access token (Pinterest-side revocation, or the person removing the app). */
  public void revokeAccessToken(String accessToken) {
    ledger.revoke(accessToken);
  }

  public List<AuthorizeRequest> authorizeRequests() {
    return journal.authorizeRequests();
  }

  public List<TokenRequest> tokenRequests() {
    return journal.tokenRequests();
  }

  /** Every refresh token issued for the account, in order, with how each was used. */
  public RefreshTokenChain refreshChain(String accountId) {
    return ledger.chain(accountId);
  }

  /** Whether {@code /v5/user_account} would accept this bearer token now (scope aside). */
  public boolean isAccessTokenLive(String accessToken) {
    return ledger.liveAccessToken(accessToken, settings.now()).isPresent();
  }

  /**
   * Forgets everything that happened and every switch a test flipped: accounts, codes, tokens,
   * queued faults, counters, consent, lifetimes, clock, slow mode, accepted secrets (back to the
   * initial one). Keeps the port, whether it runs, and the redirect URI registrations. A request
   * still in flight (slow mode, delayed fault) is answered but neither takes a fault queued after
   * the reset nor shows in the new counters.
   */
  public void reset() {
    settings.resetBehaviour();
    ledger.clear();
    journal.clear();
    api.clear();
    boards.clear();
  }

  // --- plumbing ----------------------------------------------------------------------------

  private void route(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals(BoardsEndpoint.PATH) || path.startsWith(BoardsEndpoint.PATH + "/")) {
        boards.handle(exchange);
        return;
      }
      switch (path) {
        case AUTHORIZATION_PATH -> authorize.handle(exchange);
        case TOKEN_PATH -> token.handle(exchange);
        case ACCOUNT_PATH -> account.handle(exchange);
        case REVOCATION_PATH -> revocation.handle(exchange);
        default -> Exchanges.sendError(exchange, PinterestError.notFound());
      }
    } catch (InterruptedException e) {
      // Stopped while holding an answer: the connection just closes, like a dying server.
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A bug in the stand-in must show up as a loud 500, not as a silently dropped connection.
      Exchanges.sendError(exchange, new PinterestError(500, 500, "stand-in failure: " + e));
    }
  }

  private ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(runnable, "pinterest-stand-in-" + instance + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static Duration positive(Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("lifetime must be positive: " + d);
    }
    return d;
  }
}
