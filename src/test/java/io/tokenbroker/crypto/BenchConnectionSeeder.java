package io.tokenbroker.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark seeding tool (not a test): inserts connections whose token columns are sealed by the
 * real {@link EnvelopeTokenCipher} with the broker's local key file, so the broker opens them
 * exactly as if it had linked them itself. Linking thousands of accounts through a login form would
 * take longer than the benchmarks it feeds. Run by {@code bench/seed.sh}; it lives in this package
 * because the cipher and key ring are package-private.
 *
 * <p>Arguments: {@code <jdbc url> <key file> <count> <provider> <callers, comma-separated> <access
 * token lifetime in seconds (negative: already expired)> <ids output file>}. Access tokens are
 * {@code at-<id>}, refresh tokens {@code rt-<id>}, so a stand-in can count calls per connection.
 */
public final class BenchConnectionSeeder {

  private BenchConnectionSeeder() {}

  public static void main(String[] args) throws SQLException, IOException {
    if (args.length != 7) {
      throw new IllegalArgumentException(
          "usage: <jdbc url> <key file> <count> <provider> <callers> <access ttl s> <ids file>");
    }
    String url = args[0];
    TokenCipher cipher = new EnvelopeTokenCipher(new LocalKeyRing(Path.of(args[1])));
    int count = Integer.parseInt(args[2]);
    String provider = args[3];
    String[] callers = args[4].split(",");
    long accessTtl = Long.parseLong(args[5]);
    Path idsFile = Path.of(args[6]);

    Instant now = Instant.now();
    List<String> ids = new ArrayList<>(count);
    try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
      db.setAutoCommit(false);
      try (PreparedStatement row =
              db.prepareStatement(
                  "insert into connection (id, provider, account_id, account_username, label,"
                      + " status, scopes, access_token_enc, access_token_expires_at,"
                      + " refresh_token_enc, refresh_token_issued_at, last_refreshed_at,"
                      + " created_by, created_at, updated_at)"
                      + " values (?, ?, ?, ?, 'bench', 'active', 'read write', ?, ?, ?, ?, ?,"
                      + " 'bench-seeder', ?, ?)");
          PreparedStatement caller =
              db.prepareStatement(
                  "insert into connection_caller (connection_id, caller) values (?, ?)")) {
        // Issued long ago so the "just refreshed" shortcut never hides a due refresh.
        Timestamp issued = Timestamp.from(now.minusSeconds(3600));
        Timestamp nowTs = Timestamp.from(now);
        for (int i = 0; i < count; i++) {
          UUID id = UUID.randomUUID();
          String accountId = "bench-" + id;
          row.setObject(1, id);
          row.setString(2, provider);
          row.setString(3, accountId);
          row.setString(4, accountId);
          row.setString(
              5, cipher.encrypt("at-" + id, TokenCipher.aad("connection", id, "access_token")));
          row.setTimestamp(6, Timestamp.from(now.plusSeconds(accessTtl)));
          row.setString(
              7, cipher.encrypt("rt-" + id, TokenCipher.aad("connection", id, "refresh_token")));
          row.setTimestamp(8, issued);
          row.setTimestamp(9, issued);
          row.setTimestamp(10, nowTs);
          row.setTimestamp(11, nowTs);
          row.addBatch();
          for (String name : callers) {
            caller.setObject(1, id);
            caller.setString(2, name);
            caller.addBatch();
          }
          ids.add(id.toString());
          if (i % 1000 == 999) {
            row.executeBatch();
            caller.executeBatch();
          }
        }
        row.executeBatch();
        caller.executeBatch();
      }
      db.commit();
    }
    Files.write(idsFile, ids);
    System.out.println("seeded " + count + " connections of provider " + provider);
  }
}
