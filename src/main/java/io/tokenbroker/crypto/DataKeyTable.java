package io.tokenbroker.crypto;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code data_key} table: wrapped data keys, one row per key, in plain JDBC. */
@ApplicationScoped
class DataKeyTable {

  /** One row; {@code wrappedKey} is Transit ciphertext, never key material. */
  record Row(String id, String wrappedKey, String wrappedBy, Instant createdAt, Instant retiredAt) {
    boolean retired() {
      return retiredAt != null;
    }
  }

  private static final String COLUMNS = "id, wrapped_key, wrapped_by, created_at, retired_at";

  private final DataSource dataSource;

  DataKeyTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Every key, oldest first. */
  List<Row> all() {
    return query("SELECT " + COLUMNS + " FROM data_key ORDER BY created_at, id", null);
  }

  Optional<Row> find(String id) {
    return query("SELECT " + COLUMNS + " FROM data_key WHERE id = ?", id).stream().findFirst();
  }

  /**
   * Stores a new key in a transaction of its own: a key that seals values must be durable even if
   * the caller's transaction, which may be what first asked for a key, rolls back.
   */
  void insert(Row row) {
    QuarkusTransaction.requiringNew().run(() -> insertNow(row));
  }

  private void insertNow(Row row) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO data_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, row.id());
      s.setString(2, row.wrappedKey());
      s.setString(3, row.wrappedBy());
      s.setObject(4, timestamp(row.createdAt()));
      s.setObject(5, row.retiredAt() == null ? null : timestamp(row.retiredAt()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot store data key " + row.id(), e);
    }
  }

  /**
   * Marks a key retired unless it is the newest key in the table: whichever replica rotated last,
   * its key stays usable.
   */
  boolean retire(String id, Instant at) {
    return QuarkusTransaction.requiringNew().call(() -> retireNow(id, at));
  }

  private boolean retireNow(String id, Instant at) {
    String sql =
        "UPDATE data_key SET retired_at = ? WHERE id = ? AND retired_at IS NULL AND EXISTS"
            + " (SELECT 1 FROM data_key newer WHERE newer.created_at > data_key.created_at)";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, timestamp(at));
      s.setString(2, id);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot retire data key " + id, e);
    }
  }

  /** Replaces a key's wrapped form, unless another replica replaced it first. */
  boolean replaceWrapped(String id, String old, String fresh) {
    String sql = "UPDATE data_key SET wrapped_key = ? WHERE id = ? AND wrapped_key = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, fresh);
      s.setString(2, id);
      s.setString(3, old);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot update data key " + id, e);
    }
  }

  /** Timestamps at microsecond precision, so that what is read back equals what was written. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private List<Row> query(String sql, String param) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      if (param != null) {
        s.setString(1, param);
      }
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime retired = rs.getObject(5, OffsetDateTime.class);
          rows.add(
              new Row(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getObject(4, OffsetDateTime.class).toInstant(),
                  retired == null ? null : retired.toInstant()));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the data_key table", e);
    }
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
