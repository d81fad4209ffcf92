package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** Which claim names the caller, and which values do not. */
class CallerIdentityAugmentorTest {

  private static DefaultJWTCallerPrincipal token(String claim, Object value) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer("https://issuer.test");
    claims.setClaim("upn", "principal-by-upn");
    if (value != null) {
      claims.setClaim(claim, value);
    }
    return new DefaultJWTCallerPrincipal(claims);
  }

  @Test
  void nameIsTheSubjectByDefault() {
    assertThat(CallerIdentityAugmentor.callerName(token("sub", "svc-a"), "sub")).contains("svc-a");
  }

  @Test
  void nameCanComeFromAnotherConfiguredClaim() {
    assertThat(CallerIdentityAugmentor.callerName(token("client_id", "svc-b"), "client_id"))
        .contains("svc-b");
  }

  @Test
  void missingBlankOrNonTextClaimNamesNobody() {
    assertThat(CallerIdentityAugmentor.callerName(token("sub", null), "sub")).isEmpty();
    assertThat(CallerIdentityAugmentor.callerName(token("sub", "  "), "sub")).isEmpty();
    assertThat(CallerIdentityAugmentor.callerName(token("client_id", 42), "client_id")).isEmpty();
    assertThat(CallerIdentityAugmentor.callerName(token("client_id", List.of("a")), "client_id"))
        .isEmpty();
  }
}
