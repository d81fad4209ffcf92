package io.tokenbroker.embedded;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The datasource driver of the broker. Quarkus fixes the driver class at build time, so one jar
 * must serve both modes: a {@code jdbc:postgresql:} URL goes straight to the PostgreSQL driver
 * (production), while a {@code jdbc:embedded-postgresql:<data-dir>} URL first starts a private
 * PostgreSQL server on that directory (the embedded evaluation default) and then connects to it.
 *
 * <p>Starting the server on the first connection, rather than from a startup hook, is what makes
 * the embedded default work in dev mode, in tests and in the packaged jar alike: the datasource,
 * Flyway and the health checks all open connections before any application code runs.
 */
public final class EmbeddedPostgresDriver implements Driver {

  public static final String EMBEDDED_PREFIX = "jdbc:embedded-postgresql:";
  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

  private final Driver postgres = new org.postgresql.Driver();

  public static boolean isEmbedded(String url) {
    return url != null && url.startsWith(EMBEDDED_PREFIX);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (isEmbedded(url)) {
      String dataDir = url.substring(EMBEDDED_PREFIX.length());
      String target = EmbeddedPostgresServer.start(dataDir).jdbcUrl();
      Properties props = new Properties();
      props.putAll(info);
      props.setProperty("user", EmbeddedPostgresServer.USER);
      return postgres.connect(target, props);
    }
    return url != null && url.startsWith(POSTGRES_PREFIX) ? postgres.connect(url, info) : null;
  }

  @Override
  public boolean acceptsURL(String url) {
    return isEmbedded(url) || (url != null && url.startsWith(POSTGRES_PREFIX));
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return postgres.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return postgres.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return postgres.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
