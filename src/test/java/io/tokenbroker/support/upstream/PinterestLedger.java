package io.tokenbroker.support.upstream;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the stand-in has issued: accounts, authorization codes, access and refresh tokens. One
 * lock guards it all, because the single-use checks must be check-and-set atomic when a client (or
 * two broker replicas) race; contention is irrelevant at test volumes.
 */
final class PinterestLedger {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final String clientId;
  private final Map<String, PinterestAccount> accountsByUsername = new HashMap<>();
  private final Map<String, CodeRecord> codes = new HashMap<>();
  private final Map<String, AccessRecord> accessTokens = new HashMap<>();
  private final Map<String, RefreshRecord> refreshTokens = new HashMap<>();
  private final Map<String, List<RefreshRecord>> chains = new LinkedHashMap<>();

  PinterestLedger(String clientId) {
    this.clientId = clientId;
  }

  private static final class CodeRecord {
    final PinterestAccount account;
    final String redirectUri;
    final Set<String> scopes;
    final Instant expiresAt;
    boolean used;

    CodeRecord(PinterestAccount account, String redirectUri, Set<String> scopes, Instant exp) {
      this.account = account;
      this.redirectUri = redirectUri;
      this.scopes = scopes;
      this.expiresAt = exp;
    }
  }

  /** A live or dead access token; {@code account} is null for a client-credentials token. */
  static final class AccessRecord {
    final PinterestAccount account;
    final Set<String> scopes;
    final Instant expiresAt;
    boolean revoked;

    AccessRecord(PinterestAccount account, Set<String> scopes, Instant expiresAt) {
      this.account = account;
      this.scopes = scopes;
      this.expiresAt = expiresAt;
    }
  }

  private static final class RefreshRecord {
    final String token;
    final PinterestAccount account;
    final Set<String> scopes;
    final Instant issuedAt;
    final Instant expiresAt;
    int presentations;
    boolean accepted;
    boolean revoked;

    RefreshRecord(
        String token, PinterestAccount account, Set<String> scopes, Instant iat, Instant exp) {
      this.token = token;
      this.account = account;
      this.scopes = scopes;
      this.issuedAt = iat;
      this.expiresAt = exp;
    }
  }

  /** What a successful grant minted; {@code refreshToken} is null for client credentials. */
  record Minted(
      PinterestAccount account,
      String accessToken,
      Instant accessExpiresAt,
      Set<String> accessScopes,
      String refreshToken,
      Instant refreshExpiresAt) {}

  /** The account and scopes a redeemed code or refresh token stands for. */
  record Redeemed(PinterestAccount account, Set<String> grantScopes) {}

  /** Why a refresh was not honoured. */
  enum RefreshRefusal {
    INVALID_GRANT,
    SCOPE_NOT_GRANTED
  }

  /** Either the redeemed grant or the reason for refusal. */
  record RefreshOutcome(Redeemed redeemed, RefreshRefusal refusal) {
    static RefreshOutcome refused(RefreshRefusal refusal) {
      return new RefreshOutcome(null, refusal);
    }
  }

  synchronized PinterestAccount account(String username) {
    return accountsByUsername.computeIfAbsent(
        username,
        name ->
            new PinterestAccount(
                Long.toString(
                    ThreadLocalRandom.current()
                        .nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE)),
                name,
                "BUSINESS"));
  }

  synchronized String issueCode(
      PinterestAccount account, String redirectUri, Set<String> scopes, Instant expiresAt) {
    String code = HexFormat.of().formatHex(randomBytes(20));
    codes.put(code, new CodeRecord(account, redirectUri, Set.copyOf(scopes), expiresAt));
    return code;
  }

  /**
   * Redeems a code once: unknown, used, expired codes and a redirect URI that differs from the
   * authorization request's are all refused (RFC 6749 §4.1.3).
   */
  synchronized Optional<Redeemed> redeemCode(String code, String redirectUri, Instant now) {
    CodeRecord record = codes.get(code);
    if (record == null || record.used || !now.isBefore(record.expiresAt)) {
      return Optional.empty();
    }
    // A mismatched redirect_uri still burns the code: it was presented, by someone.
    record.used = true;
    if (!record.redirectUri.equals(redirectUri)) {
      return Optional.empty();
    }
    return Optional.of(new Redeemed(record.account, record.scopes));
  }

  /**
   * Consumes a refresh token: strictly single use. A token that is unknown, already used, expired
   * or revoked is refused; requested scopes must lie within the grant, checked before the token is
   * consumed.
   */
  synchronized RefreshOutcome redeemRefreshToken(
      String token, Set<String> requestedScopes, Instant now) {
    RefreshRecord record = refreshTokens.get(token);
    if (record == null) {
      return RefreshOutcome.refused(RefreshRefusal.INVALID_GRANT);
    }
    record.presentations++;
    if (record.accepted || record.revoked || !now.isBefore(record.expiresAt)) {
      return RefreshOutcome.refused(RefreshRefusal.INVALID_GRANT);
    }
    if (!record.scopes.containsAll(requestedScopes)) {
      record.presentations--;
      return RefreshOutcome.refused(RefreshRefusal.SCOPE_NOT_GRANTED);
    }
    record.accepted = true;
    return new RefreshOutcome(new Redeemed(record.account, record.scopes), null);
  }

  synchronized Minted mint(
      PinterestAccount account,
      Set<String> accessScopes,
      Set<String> grantScopes,
      Instant now,
      Duration accessLifetime,
      Duration refreshLifetime,
      boolean withRefreshToken) {
    String access = "pina." + B64.encodeToString(randomBytes(48));
    Instant accessExpiresAt = now.plus(accessLifetime);
    accessTokens.put(access, new AccessRecord(account, Set.copyOf(accessScopes), accessExpiresAt));
    if (!withRefreshToken) {
      return new Minted(account, access, accessExpiresAt, accessScopes, null, null);
    }
    Instant refreshExpiresAt = now.plus(refreshLifetime);
    String refresh = refreshTokenValue(account, now, refreshLifetime);
    RefreshRecord record =
        new RefreshRecord(refresh, account, Set.copyOf(grantScopes), now, refreshExpiresAt);
    refreshTokens.put(refresh, record);
    chains.computeIfAbsent(account.id(), id -> new ArrayList<>()).add(record);
    return new Minted(account, access, accessExpiresAt, accessScopes, refresh, refreshExpiresAt);
  }

  /** The record of a bearer token that is known, unrevoked and unexpired. */
  synchronized Optional<AccessRecord> liveAccessToken(String token, Instant now) {
    AccessRecord record = accessTokens.get(token);
    if (record == null || record.revoked || !now.isBefore(record.expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(record);
  }

  synchronized void revoke(String token) {
    AccessRecord access = accessTokens.get(token);
    if (access != null) {
      access.revoked = true;
    }
    RefreshRecord refresh = refreshTokens.get(token);
    if (refresh != null) {
      refresh.revoked = true;
    }
  }

  /** The person withdrew the app's access: every token of the account stops working. */
  synchronized void killGrant(String accountId) {
    for (RefreshRecord record : chains.getOrDefault(accountId, List.of())) {
      record.revoked = true;
    }
    for (AccessRecord record : accessTokens.values()) {
      if (record.account != null && record.account.id().equals(accountId)) {
        record.revoked = true;
      }
    }
  }

  synchronized RefreshTokenChain chain(String accountId) {
    List<RefreshTokenChain.Link> links = new ArrayList<>();
    for (RefreshRecord r : chains.getOrDefault(accountId, List.of())) {
      links.add(
          new RefreshTokenChain.Link(
              r.token, r.issuedAt, r.expiresAt, r.presentations, r.accepted, r.revoked));
    }
    return new RefreshTokenChain(accountId, links);
  }

  synchronized void clear() {
    accountsByUsername.clear();
    codes.clear();
    accessTokens.clear();
    refreshTokens.clear();
    chains.clear();
  }

  /** Shaped like Pinterest's: {@code pinr.<header>.<payload>.<signature>}; opaque to clients. */
  private String refreshTokenValue(PinterestAccount account, Instant now, Duration lifetime) {
    String header = "{\"alg\":\"HS512\",\"kid\":\"stand-in\"}";
    String payload =
        Exchanges.toJson(
            Map.of(
                "client_id", clientId,
                "exp", lifetime.toSeconds(),
                "iat", now.getEpochSecond(),
                "sub", account.id(),
                "jti", HexFormat.of().formatHex(randomBytes(8))));
    return "pinr."
        + B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(randomBytes(32));
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
