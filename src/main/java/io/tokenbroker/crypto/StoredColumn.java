package io.tokenbroker.crypto;

import java.util.List;

/**
 * A column that holds {@link TokenCipher} envelopes, with how its associated data is formed. These
 * are every encrypted column of the schema; a new one must be added here to take part in
 * re-encryption after a rotation.
 */
record StoredColumn(String table, String idColumn, String column, String field, boolean leased) {

  /**
   * The connection columns are {@code leased}: a refresh holding the row's lease fences its write
   * by the exact stored refresh-token envelope, so re-encryption must leave such a row alone until
   * the lease ends, or the rotation the provider already made would be discarded.
   */
  static final List<StoredColumn> ALL =
      List.of(
          new StoredColumn("connection", "id", "access_token_enc", "access_token", true),
          new StoredColumn("connection", "id", "refresh_token_enc", "refresh_token", true),
          new StoredColumn(
              "authorization_request", "state_hash", "pkce_verifier_enc", "pkce_verifier", false));

  String aad(Object rowId) {
    return TokenCipher.aad(table, rowId, field);
  }

  @Override
  public String toString() {
    return table + "." + column;
  }
}
