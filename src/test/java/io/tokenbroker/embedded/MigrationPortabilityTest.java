package io.tokenbroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The same migration files build the same tables on PostgreSQL and on H2. */
class MigrationPortabilityTest {

  private static final Set<String> EXPECTED =
      Set.of("audit_event", "authorization_request", "connection", "connection_caller", "data_key");

  @Test
  void migrationsRunUnchangedOnPostgresql() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      DataSource ds = postgres.getPostgresDatabase();
      MigrateResult result = Flyway.configure().dataSource(ds).load().migrate();
      assertThat(result.success).isTrue();
      assertThat(result.migrationsExecuted).isPositive();
      try (Connection c = ds.getConnection()) {
        assertThat(tables(c, "public")).containsAll(EXPECTED);
      }
    }
  }

  @Test
  void migrationsRunUnchangedOnH2() throws Exception {
    String url = "jdbc:h2:mem:migrations;DB_CLOSE_DELAY=-1";
    MigrateResult result = Flyway.configure().dataSource(url, "sa", "").load().migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isPositive();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(tables(c, "PUBLIC")).containsAll(EXPECTED);
    }
  }

  private static Set<String> tables(Connection c, String schema) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase());
      }
    }
    return names;
  }
}
