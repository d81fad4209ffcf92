package io.tokenbroker.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The connect page's form token and Origin check, without a server. */
class FormTokenTest {

  private static final String LINK_TOKEN = LinkTokens.generate();
  private static final UUID LINK = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  void tokenIsValidForItsLinkForOneHour() {
    String form = FormToken.issue(LINK_TOKEN, LINK, NOW);
    assertThat(FormToken.valid(form, LINK_TOKEN, LINK, NOW)).isTrue();
    assertThat(FormToken.valid(form, LINK_TOKEN, LINK, NOW.plus(Duration.ofMinutes(59)))).isTrue();
    assertThat(FormToken.valid(form, LINK_TOKEN, LINK, NOW.plus(Duration.ofMinutes(61)))).isFalse();
  }

  @Test
  void tokenOfAnotherLinkTamperedIssuedInTheFutureOrMalformedIsRefused() {
    String form = FormToken.issue(LINK_TOKEN, LINK, NOW);
    assertThat(FormToken.valid(form, LinkTokens.generate(), LINK, NOW)).isFalse();
    assertThat(FormToken.valid(form, LINK_TOKEN, UUID.randomUUID(), NOW)).isFalse();
    String later = FormToken.issue(LINK_TOKEN, LINK, NOW.plusSeconds(3600));
    assertThat(FormToken.valid(later, LINK_TOKEN, LINK, NOW)).isFalse();
    String shifted = (NOW.getEpochSecond() + 1) + form.substring(form.indexOf('.'));
    assertThat(FormToken.valid(shifted, LINK_TOKEN, LINK, NOW)).isFalse();
    for (String bad : new String[] {null, "", ".", "x.y", "1", "1.", "-1.abc", "9".repeat(200)}) {
      assertThat(FormToken.valid(bad, LINK_TOKEN, LINK, NOW)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void originMustBeThePublicOneOrNullFromTheSameOrigin() {
    Optional<String> origin = Optional.of("https://broker.example.com");
    assertThat(OriginCheck.sameOrigin(origin, "https://broker.example.com", null)).isTrue();
    assertThat(OriginCheck.sameOrigin(origin, "https://evil.example", "same-origin")).isFalse();
    assertThat(OriginCheck.sameOrigin(origin, "https://broker.example.com:8443", null)).isFalse();
    assertThat(OriginCheck.sameOrigin(origin, "null", "same-origin")).isTrue();
    assertThat(OriginCheck.sameOrigin(origin, "null", "cross-site")).isFalse();
    assertThat(OriginCheck.sameOrigin(origin, null, "same-origin")).isFalse();
    assertThat(OriginCheck.sameOrigin(Optional.empty(), "https://broker.example.com", null))
        .isFalse();
  }
}
