package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.tokenbroker.support.CallerTokens;
import org.junit.jupiter.api.Test;

/** When the broker trusts (and mints with) a key of its own: embedded database and no issuer. */
class LocalCallerKeysTest {

  @Test
  void embeddedDatabaseWithoutCallerKeyUsesTheLocalKey() {
    assertThat(LocalCallerKeys.applies("jdbc:embedded-postgresql:./data/postgres", false)).isTrue();
  }

  @Test
  void embeddedDatabaseWithAConfiguredCallerKeyDoesNot() {
    assertThat(LocalCallerKeys.applies("jdbc:embedded-postgresql:./data/postgres", true)).isFalse();
  }

  @Test
  void productionDatabaseNeverDoesEvenWithoutACallerKey() {
    assertThat(LocalCallerKeys.applies("jdbc:postgresql://db:5432/broker", false)).isFalse();
    assertThat(LocalCallerKeys.applies(null, false)).isFalse();
  }

  @Test
  void everyWaySmallRyeIsGivenAKeyCountsAsConfigured() {
    assertThat(LocalCallerKeys.hasVerificationKey(new JWTAuthContextInfo())).isFalse();

    JWTAuthContextInfo pem = new JWTAuthContextInfo();
    pem.setPublicKeyContent(CallerTokens.pem(CallerTokens.verificationKey()));
    JWTAuthContextInfo jwksUrl = new JWTAuthContextInfo();
    jwksUrl.setPublicKeyLocation("https://idp.example/jwks");
    JWTAuthContextInfo keyObject = new JWTAuthContextInfo();
    keyObject.setPublicVerificationKey(CallerTokens.verificationKey());
    JWTAuthContextInfo secret = new JWTAuthContextInfo();
    secret.setSecretKeyContent("shared-secret");

    assertThat(LocalCallerKeys.hasVerificationKey(pem)).isTrue();
    assertThat(LocalCallerKeys.hasVerificationKey(jwksUrl)).isTrue();
    assertThat(LocalCallerKeys.hasVerificationKey(keyObject)).isTrue();
    assertThat(LocalCallerKeys.hasVerificationKey(secret)).isTrue();
  }
}
