package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.tokenbroker.support.CallerTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The verified caller-token memory as requests reach it over HTTP: keyed by digest, bounded in
 * size, and never trusting a token that differs from a remembered one.
 */
@QuarkusTest
class VerifiedTokenMemoryTest {

  @Inject JWTParser parser;

  private RememberingCallerTokenParser memory() {
    return (RememberingCallerTokenParser) ClientProxy.unwrap(parser);
  }

  private static void callerProbe(String token, int status) {
    given().auth().oauth2(token).get("/v1/test/caller").then().statusCode(status);
  }

  @Test
  void aReusedTokenIsRememberedOnce() {
    String token = CallerTokens.token("svc-memory-" + System.nanoTime(), "token-consumer");

    callerProbe(token, 200);
    long remembered = memory().rememberedCount();
    callerProbe(token, 200);
    callerProbe(token, 200);

    assertThat(memory().rememberedCount()).isEqualTo(remembered);
    assertThat(memory().isRemembered(token)).isTrue();
  }

  @Test
  void aTokenChangedInOneCharacterIsVerifiedAndRefusedEvenWhenTheOriginalIsRemembered() {
    String token = CallerTokens.token("svc-memory-tamper", "broker-admin");
    callerProbe(token, 200);
    // A character inside the signature, not its last one: the last base64url character of a
    // 256-byte signature carries two bits and four unused ones, so 'A' and 'B' there decode to the
    // same bytes and the "changed" token is rightly valid.
    int at = token.lastIndexOf('.') + 10;
    char original = token.charAt(at);
    // The same low byte, a different character: a digest over truncated chars would collide.
    String sameLowByte = replaceAt(token, at, (char) (original + 0x100));
    String otherChar = replaceAt(token, at, original == 'A' ? 'B' : 'A');

    callerProbe(sameLowByte, 401);
    callerProbe(otherChar, 401);
    assertThat(memory().isRemembered(sameLowByte)).isFalse();
  }

  private static String replaceAt(String token, int at, char replacement) {
    return token.substring(0, at) + replacement + token.substring(at + 1);
  }

  @Test
  void tokensOverTheSizeLimitAreVerifiedEveryTimeAndNeverRemembered() {
    String huge =
        CallerTokens.claims("svc-memory-huge", "token-consumer")
            .claim("padding", "p".repeat(RememberingCallerTokenParser.MAX_REMEMBERED_CHARS))
            .sign(CallerTokens.signingKey());
    assertThat(huge.length()).isGreaterThan(RememberingCallerTokenParser.MAX_REMEMBERED_CHARS);

    given()
        .auth()
        .oauth2(huge)
        .get("/v1/test/caller")
        .then()
        .statusCode(200)
        .body("name", equalTo("svc-memory-huge"));
    assertThat(memory().isRemembered(huge)).isFalse();
  }
}
