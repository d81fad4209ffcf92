package io.tokenbroker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The logging contract of application.properties: JSON in production, every handler scrubbed. */
class LoggingConfigurationTest {

  private static Properties applicationProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        LoggingConfigurationTest.class.getResourceAsStream("/application.properties")) {
      properties.load(in);
    }
    return properties;
  }

  @Test
  void productionLogsJsonWhileDevAndTestLogPlainTextWithTheRequestId() throws IOException {
    Properties properties = applicationProperties();

    assertThat(properties.getProperty("quarkus.log.console.json.enabled")).isEqualTo("true");
    assertThat(properties.getProperty("%dev.quarkus.log.console.json.enabled")).isEqualTo("false");
    assertThat(properties.getProperty("%test.quarkus.log.console.json.enabled")).isEqualTo("false");
    assertThat(properties.getProperty("quarkus.log.console.format")).contains("%X{request_id}");
  }

  @Test
  void everyLogHandlerRunsTheSecretScrubber() throws IOException {
    Properties properties = applicationProperties();

    for (String handler : new String[] {"console", "file", "syslog", "socket"}) {
      assertThat(properties.getProperty("quarkus.log." + handler + ".filter"))
          .as(handler)
          .isEqualTo("secret-scrubber");
    }
  }

  @Test
  void consoleStaysAsyncThroughTheCurrentKeyNotTheDeprecatedOne() throws IOException {
    Properties properties = applicationProperties();

    assertThat(properties.getProperty("quarkus.log.console.async.enabled")).isEqualTo("true");
    assertThat(properties).doesNotContainKey("quarkus.log.console.async");
  }

  @Test
  void devModeAnalyticsPromptIsTurnedOffForEveryMavenRun() throws IOException {
    // Quarkus reads it only as a system property; .mvn/jvm.config is where the wrapper takes those.
    assertThat(Files.readString(Path.of(".mvn/jvm.config")))
        .contains("-Dquarkus.analytics.disabled=true");
  }
}
