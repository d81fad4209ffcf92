package io.tokenbroker.connection;

import io.agroal.api.AgroalDataSource;
import io.tokenbroker.health.ReadinessProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Readiness check {@code database}, in place of the datasource's built-in one. It reports whether
 * PostgreSQL answers ({@code reachable}) but stays UP when it does not: the database is shared by
 * every replica, so a DOWN here would take all of them out of the Service at once, and callers
 * would lose the tokens each replica still holds and serves through the outage (docs/operations.md
 * §2.1). A broker that cannot reach the database at startup never becomes ready anyway: Flyway runs
 * before it serves. Alert on {@code broker_database_errors_total} and this check's data. Runs in
 * the background (health.BackgroundChecks), so a hung database never delays a probe request.
 */
@ApplicationScoped
class DatabaseReadinessProbe implements ReadinessProbe {

  private static final int VALIDATION_SECONDS = 2;

  private final AgroalDataSource dataSource;

  DatabaseReadinessProbe(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public HealthCheckResponse check() {
    String problem;
    try (Connection connection = dataSource.getConnection()) {
      problem = connection.isValid(VALIDATION_SECONDS) ? null : "no answer";
    } catch (SQLException | RuntimeException e) {
      problem = e.getClass().getSimpleName();
    }
    return problem == null ? answer(true, "none") : unanswered(problem);
  }

  @Override
  public HealthCheckResponse unanswered(String problem) {
    return answer(false, problem);
  }

  private static HealthCheckResponse answer(boolean reachable, String problem) {
    return HealthCheckResponse.named("database")
        .up()
        .withData("reachable", reachable)
        .withData("problem", problem)
        .build();
  }
}
