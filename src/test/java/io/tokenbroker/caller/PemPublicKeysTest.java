package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenbroker.support.CallerTokens;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Configured PEM keys are read by their own type, RSA or EC. */
class PemPublicKeysTest {

  @Test
  void rsaPemKeyIsReadAsRsa() {
    PublicKey rsa = CallerTokens.verificationKey();

    assertThat(PemPublicKeys.parse(CallerTokens.pem(rsa))).contains(rsa);
  }

  @Test
  void ecPemKeyIsReadAsEc() {
    PublicKey ec = CallerTokens.es256VerificationKey();

    assertThat(PemPublicKeys.parse(CallerTokens.pem(ec))).contains(ec);
  }

  @Test
  void bareBase64KeyWithoutPemLinesIsRead() {
    PublicKey rsa = CallerTokens.verificationKey();

    assertThat(PemPublicKeys.parse(Base64.getEncoder().encodeToString(rsa.getEncoded())))
        .contains(rsa);
  }

  @Test
  void otherKeyFormatsAreLeftToSmallRye() {
    assertThat(PemPublicKeys.parse(null)).isEmpty();
    assertThat(PemPublicKeys.parse(CallerTokens.jwks())).isEmpty();
    assertThat(PemPublicKeys.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
        .isEmpty();
    assertThat(PemPublicKeys.parse("bm90IGEga2V5")).isEmpty();
  }
}
