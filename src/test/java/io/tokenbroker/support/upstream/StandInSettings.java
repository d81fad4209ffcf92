package io.tokenbroker.support.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in's app registration and behaviour switches. Fields are volatile or concurrent: a test
 * thread flips them while server threads read them.
 */
final class StandInSettings {

  static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofDays(30);
  static final Duration DEFAULT_REFRESH_TOKEN_LIFETIME = Duration.ofDays(60);
  static final Duration DEFAULT_CODE_LIFETIME = Duration.ofMinutes(10);
  static final int DEFAULT_INVALID_GRANT_STATUS = 400;

  final String clientId;
  final String initialSecret;
  final Set<String> redirectUris = ConcurrentHashMap.newKeySet();
  final Set<String> loopbackRedirectPaths = ConcurrentHashMap.newKeySet();
  volatile Set<String> acceptedSecrets;
  volatile boolean denyConsent;
  volatile Duration accessTokenLifetime;
  volatile Duration refreshTokenLifetime;
  volatile Duration codeLifetime;
  volatile Duration slowMode;
  volatile int invalidGrantStatus;
  volatile boolean refuseRevocation;
  volatile Duration clockOffset;
  volatile String signedInUsername;
  final Map<String, String> extraApiHeaders = new ConcurrentHashMap<>();

  /** How many of the next user_account calls are refused with 429. */
  final java.util.concurrent.atomic.AtomicInteger rateLimitedAccountCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  StandInSettings(String clientId, String secret) {
    this.clientId = clientId;
    this.initialSecret = secret;
    resetBehaviour();
  }

  /** Everything but the redirect URI registrations, which belong to the app, not the test. */
  void resetBehaviour() {
    acceptedSecrets = Set.of(initialSecret);
    denyConsent = false;
    accessTokenLifetime = DEFAULT_ACCESS_TOKEN_LIFETIME;
    refreshTokenLifetime = DEFAULT_REFRESH_TOKEN_LIFETIME;
    codeLifetime = DEFAULT_CODE_LIFETIME;
    slowMode = Duration.ZERO;
    invalidGrantStatus = DEFAULT_INVALID_GRANT_STATUS;
    refuseRevocation = false;
    clockOffset = Duration.ZERO;
    signedInUsername = "stand-in-pinner";
    extraApiHeaders.clear();
    rateLimitedAccountCalls.set(0);
  }

  Instant now() {
    return Instant.now().plus(clockOffset);
  }

  boolean clientAuthenticates(String[] credentials) {
    return credentials[0].equals(clientId) && acceptedSecrets.contains(credentials[1]);
  }

  /**
   * Exact string match against the registered URIs, as Pinterest requires; or, for paths registered
   * as loopback paths, any port on {@code localhost}/{@code 127.0.0.1} (RFC 8252 §7.3 lets loopback
   * redirect URIs vary the port), because a Quarkus test port is only known late.
   */
  boolean redirectUriRegistered(String candidate) {
    if (redirectUris.contains(candidate)) {
      return true;
    }
    URI uri;
    try {
      uri = new URI(candidate);
    } catch (URISyntaxException e) {
      return false;
    }
    return "http".equals(uri.getScheme())
        && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()))
        && uri.getRawQuery() == null
        && uri.getRawFragment() == null
        && uri.getRawUserInfo() == null
        && loopbackRedirectPaths.contains(uri.getRawPath());
  }
}
