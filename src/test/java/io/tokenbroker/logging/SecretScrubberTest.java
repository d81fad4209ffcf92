package io.tokenbroker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Each credential shape the scrubber knows, and the ordinary text it must leave alone. */
class SecretScrubberTest {

  private static final String ACCESS = "pina.AbC123xyz_-456DEFghi789JKLmno";
  private static final String REFRESH = "pinr.eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";

  private static String scrub(String text) {
    return SecretScrubber.scrub(text);
  }

  @Test
  void bearerAndBasicCredentialsAreMasked() {
    assertThat(scrub("Authorization: Bearer " + ACCESS)).isEqualTo("Authorization: Bearer ***");
    assertThat(scrub("authorization=Basic MTQ4MTM0OTpzdGFuZC1pbi1hcHAtc2VjcmV0"))
        .isEqualTo("authorization=Basic ***");
    assertThat(scrub("bearer opaquetokenwithoutanydigitsatall")).isEqualTo("bearer ***");
  }

  @Test
  void wordsAfterBearerOrBasicThatAreNoCredentialsSurvive() {
    String text = "the provider uses basic authentication; send a Bearer <token>";
    assertThat(scrub(text)).isEqualTo(text);
  }

  @Test
  void namedValuesAreMaskedInQueryFormJsonAndKeyValueShapes() {
    assertThat(scrub("GET /cb?code=4f2a9c&state=xyz")).isEqualTo("GET /cb?code=***&state=xyz");
    assertThat(
            scrub(
                "grant_type=refresh_token&refresh_token=opaque-rt&client_secret=s3cr3t"
                    + "&code_verifier=verifier-value"))
        .isEqualTo(
            "grant_type=refresh_token&refresh_token=***&client_secret=***&code_verifier=***");
    assertThat(
            scrub("{\"access_token\":\"opaque-at\",\"token_type\":\"bearer\",\"expires_in\":3600}"))
        .isEqualTo("{\"access_token\":\"***\",\"token_type\":\"bearer\",\"expires_in\":3600}");
    assertThat(scrub("client_secret: hunter2, client-secret-previous=old password = pw"))
        .isEqualTo("client_secret: ***, client-secret-previous=*** password = ***");
    assertThat(scrub("{'id_token': 'abc.def'}")).isEqualTo("{'id_token': '***'}");
  }

  @Test
  void providerErrorCodesAreNotMistakenForAuthorizationCodes() {
    String text = "{\"code\":283,\"message\":\"The authorization grant is invalid\"}";
    assertThat(scrub(text)).isEqualTo(text);
    assertThat(scrub("exit code: 1")).isEqualTo("exit code: 1");
  }

  @Test
  void pinterestTokensJwtsAndVaultTokensAreMaskedWhereverTheyStand() {
    assertThat(scrub("token " + ACCESS + " expired")).isEqualTo("token pina.*** expired");
    assertThat(scrub("rotated to " + REFRESH)).isEqualTo("rotated to pinr.***");
    assertThat(scrub("caller eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.sig-nature_x"))
        .isEqualTo("caller eyJ***");
    assertThat(scrub("vault token hvs.CAESIJ0123456789abcdefghijkl"))
        .isEqualTo("vault token hvs.***");
  }

  @Test
  void passwordsInUrlsAreMasked() {
    assertThat(scrub("jdbc:postgresql://broker:pa55word@db:5432/broker"))
        .isEqualTo("jdbc:postgresql://broker:***@db:5432/broker");
  }

  @Test
  void ordinaryLogLinesAreLeftAsTheyAre() {
    String line =
        "connection 9e13062c-1aa2-4c8c-9e9c-863a85d1c9fe refresh failed"
            + " (TRANSIENT(http_503, HTTP 503)); retry at 2026-11-28T18:39:06Z";
    assertThat(scrub(line)).isEqualTo(line);
    assertThat(scrub("scopes boards:read_secret,pins:read token_type=bearer"))
        .isEqualTo("scopes boards:read_secret,pins:read token_type=bearer");
  }

  @Test
  void filterRewritesTheFormattedMessageOfARecord() {
    ExtLogRecord record =
        new ExtLogRecord(Level.INFO, "refreshing with %s", ExtLogRecord.FormatStyle.PRINTF, "x");
    record.setParameters(new Object[] {"refresh_token=" + REFRESH});

    assertThat(new SecretScrubber().isLoggable(record)).isTrue();

    assertThat(record.getFormattedMessage()).isEqualTo("refreshing with refresh_token=***");
  }

  @Test
  void filterRewritesPlainJulRecordsWithMessageFormatParameters() {
    LogRecord record = new LogRecord(Level.INFO, "token {0}");
    record.setParameters(new Object[] {ACCESS});

    new SecretScrubber().isLoggable(record);

    assertThat(record.getMessage()).isEqualTo("token pina.***");
    assertThat(record.getParameters()).isNull();
  }

  @Test
  void exceptionMessagesAndCausesAreMaskedKeepingClassNamesAndStackTraces() {
    IllegalStateException cause = new IllegalStateException("upstream said " + ACCESS);
    RuntimeException thrown = new RuntimeException("POST failed: client_secret=hunter2", cause);
    ExtLogRecord record =
        new ExtLogRecord(Level.SEVERE, "boom", SecretScrubberTest.class.getName());
    record.setThrown(thrown);

    new SecretScrubber().isLoggable(record);

    StringWriter trace = new StringWriter();
    record.getThrown().printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString())
        .contains("java.lang.RuntimeException: POST failed: client_secret=***")
        .contains("java.lang.IllegalStateException: upstream said pina.***")
        .contains("SecretScrubberTest.exceptionMessagesAndCauses")
        .doesNotContain("hunter2")
        .doesNotContain(ACCESS);
  }

  @Test
  void exceptionsWithCleanMessagesAreLoggedAsThemselves() {
    IllegalStateException clean = new IllegalStateException("no secret here");
    ExtLogRecord record =
        new ExtLogRecord(Level.SEVERE, "boom", SecretScrubberTest.class.getName());
    record.setThrown(clean);

    new SecretScrubber().isLoggable(record);

    assertThat(record.getThrown()).isSameAs(clean);
  }
}
