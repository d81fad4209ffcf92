package io.tokenbroker.audit;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.Session;

/**
 * Writes rows of {@code audit_event} as one JDBC batch: the table's one batched writer, beside the
 * {@link AuditEvent} entity that maps it and {@link AuditPruning} that deletes from it.
 */
final class AuditRows {

  private static final String INSERT =
      "INSERT INTO audit_event (occurred_at, actor, action, outcome, provider, connection_id,"
          + " request_id, detail, issued_count, last_occurred_at, last_request_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private AuditRows() {}

  /** Inserts {@code batch} in the current transaction. */
  static void insert(EntityManager em, List<AuditEvent> batch) {
    em.unwrap(Session.class)
        .doWork(
            connection -> {
              try (PreparedStatement s = connection.prepareStatement(INSERT)) {
                for (AuditEvent e : batch) {
                  bind(s, e);
                  s.addBatch();
                }
                s.executeBatch();
              }
            });
  }

  private static void bind(PreparedStatement s, AuditEvent e) throws SQLException {
    s.setObject(1, e.occurredAt.atOffset(ZoneOffset.UTC));
    s.setString(2, e.actor);
    s.setString(3, e.action);
    s.setString(4, e.outcome);
    s.setString(5, e.provider);
    if (e.connectionId == null) {
      s.setNull(6, Types.OTHER);
    } else {
      s.setObject(6, e.connectionId);
    }
    s.setString(7, e.requestId);
    s.setString(8, e.detail);
    if (e.issuedCount == null) {
      s.setNull(9, Types.INTEGER);
    } else {
      s.setInt(9, e.issuedCount);
    }
    if (e.lastOccurredAt == null) {
      s.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(10, e.lastOccurredAt.atOffset(ZoneOffset.UTC));
    }
    s.setString(11, e.lastRequestId);
  }
}
