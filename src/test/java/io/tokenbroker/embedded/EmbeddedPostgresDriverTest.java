package io.tokenbroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresDriverTest {

  private final EmbeddedPostgresDriver driver = new EmbeddedPostgresDriver();

  @Test
  void embeddedUrlStartsAPrivateServerInTheDataDirectoryAndKeepsData(@TempDir Path dir)
      throws Exception {
    String url = EmbeddedPostgresDriver.EMBEDDED_PREFIX + dir.resolve("pg");
    try (Connection c = driver.connect(url, new Properties());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v INT)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
    try (Connection c = driver.connect(url, new Properties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
    }
  }

  @Test
  void acceptsPostgresAndEmbeddedUrlsOnly() {
    assertThat(driver.acceptsURL("jdbc:postgresql://db:5432/broker")).isTrue();
    assertThat(driver.acceptsURL("jdbc:embedded-postgresql:./data/postgres")).isTrue();
    assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
  }
}
