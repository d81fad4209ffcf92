package io.tokenbroker.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL holding only the tables of the named migrations, as they create them: for tests
 * of one table's home class without starting the application.
 */
public final class MigratedPostgres implements AutoCloseable {

  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  private final EmbeddedPostgres postgres;

  private MigratedPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server and runs {@code migrations} (file names under db/migration) in order. */
  public static MigratedPostgres start(String... migrations) {
    try {
      MigratedPostgres db = new MigratedPostgres(EmbeddedPostgres.builder().start());
      for (String migration : migrations) {
        db.execute(Files.readString(MIGRATIONS.resolve(migration)));
      }
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public void execute(String statements) {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statements);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single number {@code query} answers, e.g. a count. */
  public long number(String query) {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
