package io.tokenbroker.connection;

import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.problem.ServerFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts {@code broker_database_errors_total} for requests that failed because of the database,
 * next to the {@link DatabaseReadinessProbe} that reports the database's state.
 */
@ApplicationScoped
class DatabaseErrors {

  private final BrokerMetrics metrics;

  DatabaseErrors(BrokerMetrics metrics) {
    this.metrics = metrics;
  }

  void onServerFailure(@Observes ServerFailure failure) {
    metrics.databaseErrorIfCausedBy(failure.cause());
  }
}
