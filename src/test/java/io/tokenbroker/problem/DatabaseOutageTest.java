package io.tokenbroker.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.SQLGrammarException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Which database failures are an outage (503, try again) and which are bugs (500). The shapes are
 * the ones the broker met in {@code hardening/DatabaseOutageSurvivalTest}: a stopped server, a
 * restarted one, one that hangs.
 */
class DatabaseOutageTest {

  @Test
  void refusedConnectionIsAnOutage() {
    PSQLException refused =
        new PSQLException(
            "Connection to localhost:5432 refused.",
            PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new ConnectException("Connection refused"));
    assertThat(
            DatabaseOutage.causedBy(
                new JDBCConnectionException("Unable to acquire JDBC Connection", refused)))
        .isTrue();
  }

  @Test
  void connectionCutByAServerShuttingDownIsAnOutage() {
    assertThat(DatabaseOutage.causedBy(wrapped(new SQLException("terminating", "57P01")))).isTrue();
    assertThat(DatabaseOutage.causedBy(wrapped(new SQLException("I/O error", "08006")))).isTrue();
    assertThat(DatabaseOutage.causedBy(wrapped(new SQLException("starting up", "57P03")))).isTrue();
  }

  @Test
  void poolThatGaveNoConnectionInTimeIsAnOutage() {
    assertThat(DatabaseOutage.causedBy(wrapped(new SQLException("Sorry, acquisition timeout!"))))
        .isTrue();
    assertThat(DatabaseOutage.causedBy(new SQLTransientConnectionException("pool exhausted")))
        .isTrue();
    // A connection attempt the pool cancelled at its acquisition timeout (a server that hangs).
    PSQLException interrupted =
        new PSQLException(
            "Something unusual has occurred to cause the driver to fail.",
            PSQLState.UNEXPECTED_ERROR,
            new RuntimeException("Interrupted while attempting to connect."));
    assertThat(
            DatabaseOutage.causedBy(
                new GenericJDBCException(
                    "Unable to acquire JDBC Connection [Something unusual]", interrupted)))
        .isTrue();
  }

  @Test
  void errorsTheDatabaseAnsweredWithAreNotAnOutage() {
    assertThat(
            DatabaseOutage.causedBy(
                new ConstraintViolationException(
                    "duplicate key", new SQLException("duplicate key", "23505"), "uq")))
        .isFalse();
    assertThat(
            DatabaseOutage.causedBy(
                new SQLGrammarException(
                    "no such table", new SQLException("relation does not exist", "42P01"))))
        .isFalse();
    assertThat(DatabaseOutage.causedBy(new IllegalStateException("not a database failure")))
        .isFalse();
  }

  private static RuntimeException wrapped(SQLException e) {
    return new IllegalStateException("while reading", e);
  }
}
