package io.tokenbroker.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written token response is exactly the JSON Jackson wrote for it before. */
class TokenResponsesTest {

  private final ObjectMapper jackson =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void tokenResponseIsTheJsonJacksonWouldWrite() throws Exception {
    IssuedToken token =
        new IssuedToken(
            "pina.AbC-123_x",
            "Bearer",
            Instant.parse("2026-12-03T15:04:05.123456Z"),
            3599L,
            List.of("boards:read", "pins:read"));

    assertThat(TokenResponses.json(token)).isEqualTo(jackson.writeValueAsString(token));
  }

  @Test
  void tokenWithoutExpiryAndWithCharactersToEscapeMatchesJacksonToo() throws Exception {
    IssuedToken token = new IssuedToken("a\"b\\c\u0001d/é", "Bearer", null, null, List.of());

    String json = TokenResponses.json(token);

    assertThat(jackson.readTree(json))
        .isEqualTo(jackson.readTree(jackson.writeValueAsString(token)));
    assertThat(jackson.readTree(json).get("access_token").asText()).isEqualTo("a\"b\\c\u0001d/é");
    assertThat(json).doesNotContain("expires_at").doesNotContain("expires_in");
  }
}
