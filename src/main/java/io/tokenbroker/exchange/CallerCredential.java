package io.tokenbroker.exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a token-exchange caller's JWT comes from: the {@code Authorization: Bearer} header, as on
 * every {@code /v1} call, or, for clients that cannot set that header on a token request, the
 * {@code subject_token} of RFC 8693 with {@code subject_token_type} {@code
 * urn:ietf:params:oauth:token-type:jwt}. Acting for someone else is not offered, so when both are
 * sent they must be the same token.
 */
final class CallerCredential {

  private CallerCredential() {}

  /** The caller JWT this request presents; not yet verified. */
  static String of(String authorization, FormBody form) {
    Optional<String> subject = form.single("subject_token");
    Optional<String> subjectType = form.single("subject_token_type");
    if (subject.isPresent() != subjectType.isPresent()) {
      throw OAuthError.invalidRequest(
          "subject_token and subject_token_type go together; send both or neither.");
    }
    if (subjectType.isPresent() && !subjectType.get().equals(ExchangeParameters.JWT_TOKEN_TYPE)) {
      throw OAuthError.invalidRequest(
          "subject_token must be the caller's JWT, with subject_token_type="
              + ExchangeParameters.JWT_TOKEN_TYPE
              + ".");
    }
    if (authorization == null || authorization.isBlank()) {
      return subject.orElseThrow(OAuthError::invalidClient);
    }
    String bearer = bearerToken(authorization).orElseThrow(OAuthError::invalidClient);
    if (subject.isPresent() && !same(subject.get(), bearer)) {
      throw OAuthError.invalidRequest(
          "subject_token must be the same JWT as the Authorization header: the broker issues"
              + " tokens to the caller itself only.");
    }
    return bearer;
  }

  /** RFC 6750 section 2.1: "Bearer" (any case), one space, the token. */
  private static Optional<String> bearerToken(String authorization) {
    String prefix = "bearer ";
    if (authorization.length() <= prefix.length()
        || !authorization.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix)) {
      return Optional.empty();
    }
    String token = authorization.substring(prefix.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
