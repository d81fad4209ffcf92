package io.tokenbroker.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Moves stored values from older keys to the current one, in batches, retires keys that no value
 * uses any more, and rewraps the data keys after a rotation of the Transit key.
 *
 * <p>Each value is replaced with a compare-and-set ({@code UPDATE ... WHERE id = ? AND col = <old
 * envelope>}): if a token write changed the value meanwhile, the newer value wins and is left
 * alone. The row's {@code version} is not bumped, since the token it holds did not change and a
 * concurrent refresh must not fail because of re-encryption. A connection whose refresh lease is
 * held is skipped (see {@link StoredColumn#ALL}) and moved by a later pass; its old key is not
 * retired until then.
 */
@ApplicationScoped
class StoredValueReencryptor {

  private static final Logger LOG = Logger.getLogger(StoredValueReencryptor.class);

  /** What one pass did. */
  record Pass(
      String currentKey,
      int reencrypted,
      int unreadable,
      List<String> retiredKeys,
      int rewrappedKeys) {}

  private final DataSource dataSource;
  private final KeyRing keys;
  private final TokenCipher cipher;
  private final CryptoConfig config;

  StoredValueReencryptor(
      DataSource dataSource, KeyRing keys, TokenCipher cipher, CryptoConfig config) {
    this.dataSource = dataSource;
    this.keys = keys;
    this.cipher = cipher;
    this.config = config;
  }

  /** One pass over every encrypted column, then retirement of unused keys. */
  Pass run() {
    keys.refresh();
    String current = keys.current().id();
    int reencrypted = 0;
    int unreadable = 0;
    for (StoredColumn column : StoredColumn.ALL) {
      ColumnPass done = reencrypt(column, current);
      reencrypted += done.reencrypted();
      unreadable += done.unreadable();
    }
    List<String> retired = new ArrayList<>();
    for (String id : keys.activeKeyIds()) {
      if (!id.equals(current) && uses(id) == 0) {
        keys.retire(id);
        retired.add(id);
      }
    }
    if (reencrypted > 0 || !retired.isEmpty() || unreadable > 0) {
      LOG.infof(
          "Re-encryption under data key %s: %d value(s) re-encrypted, %d unreadable, retired %s",
          current, reencrypted, unreadable, retired);
    }
    // Last, as the only step that always needs Vault: the rest has been done if it is down.
    int rewrapped = keys.rewrap();
    return new Pass(current, reencrypted, unreadable, retired, rewrapped);
  }

  private record ColumnPass(int reencrypted, int unreadable) {}

  private record StoredValue(Object rowId, String envelope) {}

  private ColumnPass reencrypt(StoredColumn column, String current) {
    int done = 0;
    int unreadable = 0;
    Object after = null;
    while (true) {
      List<StoredValue> batch = olderValues(column, current, after);
      for (StoredValue value : batch) {
        String aad = column.aad(value.rowId());
        try {
          String fresh = cipher.encrypt(cipher.decrypt(value.envelope(), aad), aad);
          if (compareAndSet(column, value.rowId(), value.envelope(), fresh)) {
            done++;
          }
        } catch (TokenDecryptionException e) {
          unreadable++;
          LOG.warnf("Cannot re-encrypt %s of row %s: %s", column, value.rowId(), e.getMessage());
        }
      }
      if (batch.size() < config.rotation().batchSize()) {
        return new ColumnPass(done, unreadable);
      }
      after = batch.get(batch.size() - 1).rowId();
    }
  }

  /** The next batch of values under any key but the current one, in row id order. */
  private List<StoredValue> olderValues(StoredColumn column, String current, Object after) {
    String sql =
        "SELECT "
            + column.idColumn()
            + ", "
            + column.column()
            + " FROM "
            + column.table()
            + " WHERE "
            + column.column()
            + " LIKE 'tb1:%' AND "
            + column.column()
            + " NOT LIKE ?"
            + (after == null ? "" : " AND " + column.idColumn() + " > ?")
            + " ORDER BY "
            + column.idColumn()
            + " LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setString(i++, prefix(current));
      if (after != null) {
        s.setObject(i++, after);
      }
      s.setInt(i, config.rotation().batchSize());
      List<StoredValue> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new StoredValue(rs.getObject(1), rs.getString(2)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read " + column, e);
    }
  }

  boolean compareAndSet(StoredColumn column, Object id, String old, String fresh) {
    String sql =
        "UPDATE "
            + column.table()
            + " SET "
            + column.column()
            + " = ? WHERE "
            + column.idColumn()
            + " = ? AND "
            + column.column()
            + " = ?"
            // Lease expiry by the database's clock, as the refresher judges it.
            + (column.leased() ? " AND (lease_owner IS NULL OR lease_expires_at < now())" : "");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, fresh);
      s.setObject(2, id);
      s.setString(3, old);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot update " + column, e);
    }
  }

  /** How many stored values name {@code keyId}. */
  int uses(String keyId) {
    int total = 0;
    for (StoredColumn column : StoredColumn.ALL) {
      String sql =
          "SELECT COUNT(*) FROM " + column.table() + " WHERE " + column.column() + " LIKE ?";
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, prefix(keyId));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          total += rs.getInt(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot count the values of " + column, e);
      }
    }
    return total;
  }

  /** Key ids contain no LIKE wildcard (see {@link DataKey}), so the prefix needs no escaping. */
  private static String prefix(String keyId) {
    return EnvelopeTokenCipher.VERSION + ":" + keyId + ":%";
  }
}
