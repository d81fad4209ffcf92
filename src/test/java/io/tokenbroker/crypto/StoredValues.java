package io.tokenbroker.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads and writes the encrypted columns over plain JDBC, as an attacker with a database dump or a
 * careless migration would see them: no entity, no cipher in between.
 */
final class StoredValues {

  private final DataSource dataSource;

  StoredValues(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void setConnectionColumn(UUID id, String column, String value) {
    update("UPDATE connection SET " + column + " = ? WHERE id = ?", value, id);
  }

  /** The connection's refresh lease as a replica holds it, ending {@code left} from now. */
  void holdLease(UUID id, String owner, java.time.Duration left) {
    update(
        "UPDATE connection SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
        owner,
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plus(left),
        id);
  }

  String connectionColumn(UUID id, String column) {
    return single("SELECT " + column + " FROM connection WHERE id = ?", id);
  }

  /** A pending authorization request with only the columns the schema requires. */
  String seedAuthorizationRequest(String pkceVerifierEnc) {
    String stateHash = hex32() + hex32();
    update(
        "INSERT INTO authorization_request (state_hash, provider, scopes, redirect_uri,"
            + " requested_by, created_at, expires_at, pkce_verifier_enc) VALUES (?, 'pinterest',"
            + " 'boards:read', 'https://broker.test/v1/oauth/callback', 'admin-tool', ?, ?, ?)",
        stateHash,
        OffsetDateTime.now(),
        OffsetDateTime.now().plusMinutes(10),
        pkceVerifierEnc);
    return stateHash;
  }

  private static String hex32() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  void setPkceVerifier(String stateHash, String value) {
    update(
        "UPDATE authorization_request SET pkce_verifier_enc = ? WHERE state_hash = ?",
        value,
        stateHash);
  }

  String pkceVerifier(String stateHash) {
    return single(
        "SELECT pkce_verifier_enc FROM authorization_request WHERE state_hash = ?", stateHash);
  }

  /** Every non-null value of every encrypted column, across all rows. */
  List<String> allEncryptedValues() {
    List<String> values = new ArrayList<>();
    values.addAll(column("SELECT access_token_enc FROM connection"));
    values.addAll(column("SELECT refresh_token_enc FROM connection"));
    values.addAll(column("SELECT pkce_verifier_enc FROM authorization_request"));
    return values;
  }

  /** One row of {@code data_key}, with {@code status} either active or retired. */
  record KeyRow(String id, String wrappedKey, String status) {}

  List<KeyRow> dataKeys() {
    List<KeyRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, wrapped_key, retired_at FROM data_key ORDER BY created_at")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new KeyRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getObject(3) == null ? "active" : "retired"));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> column(String sql) {
    List<String> values = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        if (rs.getString(1) != null) {
          values.add(rs.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String single(String sql, Object param) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, param);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
