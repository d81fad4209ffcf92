package io.tokenbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkceTest {

  @Test
  void challengeOfTheRfc7636AppendixBVerifierIsTheRfcsChallenge() {
    assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void newVerifiersAre43UnreservedCharactersAndNeverRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String verifier = Pkce.newVerifier();
      // RFC 7636 section 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" /
      // "~".
      assertThat(verifier).hasSize(43).matches("[A-Za-z0-9._~-]+");
      assertThat(seen.add(verifier)).as("verifier %s repeated", verifier).isTrue();
    }
  }
}
