package io.tokenbroker.crypto;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The {@code local_data_key} table: the ids and SHA-256 fingerprints of the keys that replicas
 * without Vault seal with, never the keys. Every such replica checks at start, under a table lock
 * so that two replicas starting together are checked one after the other, that its key file holds
 * every recorded key; only then does it record its own. A replica with a key file of its own on a
 * database others already use therefore refuses to start, instead of writing values that only it
 * can read and failing to read theirs.
 */
final class LocalKeyRegistry {

  private final DataSource dataSource;
  private final Path keyFile;

  LocalKeyRegistry(DataSource dataSource, Path keyFile) {
    this.dataSource = dataSource;
    this.keyFile = keyFile;
  }

  /**
   * Checks that {@code held} covers every recorded key, then records those not yet recorded.
   *
   * @throws ConfigurationException naming {@code broker.crypto.local-key-file} when a recorded key
   *     is missing from the file or differs from the one recorded under its id
   */
  void verifyAndRecord(List<DataKey> held) {
    Map<String, String> mine = new HashMap<>();
    held.forEach(k -> mine.put(k.id(), fingerprint(k)));
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        try (Statement lock = c.createStatement()) {
          lock.execute("LOCK TABLE local_data_key IN SHARE ROW EXCLUSIVE MODE");
        }
        TreeSet<String> missing = new TreeSet<>();
        try (PreparedStatement s =
                c.prepareStatement("SELECT id, fingerprint FROM local_data_key");
            ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            if (!rs.getString(2).equals(mine.get(rs.getString(1)))) {
              missing.add(rs.getString(1));
            }
          }
        }
        if (!missing.isEmpty()) {
          throw new ConfigurationException(
              "broker.crypto.local-key-file: "
                  + keyFile
                  + " does not hold data key(s) "
                  + missing
                  + " that other brokers on this database seal stored tokens with. Brokers that"
                  + " share a database without Vault must all read the same key file: point"
                  + " broker.crypto.local-key-file of every replica at one shared file (a key file"
                  + " may list several keys, one per line, so existing files can be merged), or"
                  + " configure Vault (quarkus.vault.url)");
        }
        insert(c, mine);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot check the local_data_key table", e);
    }
  }

  /** Records a key a rotation just added to the file. */
  void record(DataKey key) {
    try (Connection c = dataSource.getConnection()) {
      insert(c, Map.of(key.id(), fingerprint(key)));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record data key " + key.id(), e);
    }
  }

  /** Inserts the keys not yet recorded; a recorded id is left as it is. */
  private static void insert(Connection c, Map<String, String> keys) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO local_data_key (id, fingerprint, recorded_at) VALUES (?, ?, now())"
                + " ON CONFLICT (id) DO NOTHING")) {
      for (Map.Entry<String, String> k : keys.entrySet()) {
        insert.setString(1, k.getKey());
        insert.setString(2, k.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * SHA-256 of the key material: names the key without revealing it (the key is 256 random bits).
   */
  static String fingerprint(DataKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.key().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
