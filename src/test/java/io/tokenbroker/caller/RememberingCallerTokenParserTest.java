package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.tokenbroker.support.CallerTokens;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * The verified-token memory in front of SmallRye JWT's real parser, which counts here how often it
 * is really asked.
 */
class RememberingCallerTokenParserTest {

  /** SmallRye JWT's parser, verifying for real, counting its verifications. */
  private static final class CountingVerifier extends DefaultJWTParser {
    final AtomicInteger verifications = new AtomicInteger();

    CountingVerifier() {
      super(context());
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
      verifications.incrementAndGet();
      return super.parse(token);
    }

    private static JWTAuthContextInfo context() {
      JWTAuthContextInfo info =
          new JWTAuthContextInfo(CallerTokens.verificationKey(), CallerTokens.ISSUER);
      info.setExpectedAudience(Set.of(CallerTokens.AUDIENCE));
      info.setClockSkew(30);
      return info;
    }
  }

  private static CallerConfig memory(Duration ttl) {
    return FixedCallerConfig.withVerifiedTokenCacheTtl(ttl);
  }

  @Test
  void tokenReusedByACallerIsVerifiedOnceAndAnswersTheSameIdentity() throws Exception {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ofSeconds(60)));
    String token = CallerTokens.token("svc-reuse", "token-consumer");

    JsonWebToken first = parser.parse(token);
    JsonWebToken second = parser.parse(token);

    assertThat(verifier.verifications).hasValue(1);
    assertThat(second.getSubject()).isEqualTo("svc-reuse");
    assertThat(second.getGroups()).containsExactly("token-consumer");
    assertThat(second).isSameAs(first);
  }

  @Test
  void differentTokensAreEachVerified() throws Exception {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ofSeconds(60)));

    parser.parse(CallerTokens.token("svc-a", "token-consumer"));
    JsonWebToken b = parser.parse(CallerTokens.token("svc-b", "token-consumer"));

    assertThat(verifier.verifications).hasValue(2);
    assertThat(b.getSubject()).isEqualTo("svc-b");
  }

  @Test
  void tamperedTokenIsRefusedEveryTimeAndNeverRemembered() {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ofSeconds(60)));
    String token = CallerTokens.token("svc-forger", "broker-admin");
    char last = token.charAt(token.length() - 2);
    String tampered =
        token.substring(0, token.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + token.charAt(token.length() - 1);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> parser.parse(tampered)).isInstanceOf(ParseException.class);
    }
    assertThat(verifier.verifications).hasValue(3);
  }

  @Test
  void tokenPastItsExpiryIsNotRememberedEvenWhileTheClockSkewStillAcceptsIt() throws Exception {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ofSeconds(60)));
    long now = System.currentTimeMillis() / 1000;
    String expiredWithinSkew =
        CallerTokens.claims("svc-late", "token-consumer")
            .expiresAt(now - 5)
            .issuedAt(now - 60)
            .sign(CallerTokens.signingKey());

    parser.parse(expiredWithinSkew);
    parser.parse(expiredWithinSkew);

    assertThat(verifier.verifications).hasValue(2);
  }

  @Test
  void zeroTtlVerifiesEveryRequest() throws Exception {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ZERO));
    String token = CallerTokens.token("svc-nocache", "token-consumer");

    parser.parse(token);
    parser.parse(token);

    assertThat(verifier.verifications).hasValue(2);
  }

  @Test
  void memoryHoldsAtMostTheConfiguredNumberOfTokens() throws Exception {
    CountingVerifier verifier = new CountingVerifier();
    var parser = new RememberingCallerTokenParser(verifier, memory(Duration.ofSeconds(60)));
    for (int i = 0; i < 300; i++) {
      parser.parse(CallerTokens.token("svc-bound-" + i, "token-consumer"));
    }
    assertThat(parser.rememberedCount()).isLessThanOrEqualTo(100);
  }
}
