package io.tokenbroker.crypto;

/**
 * Encrypts the token values the broker stores (access tokens, refresh tokens, PKCE verifiers).
 *
 * <p>Each value is sealed with associated data that names its row and field ({@link #aad(String,
 * Object, String)}), so a ciphertext copied to another row or column does not decrypt. The returned
 * envelope names the key that sealed it, so keys can rotate while old rows stay readable.
 */
public interface TokenCipher {

  /** Seals {@code plaintext} under the newest key; the result is safe to store and to log. */
  String encrypt(String plaintext, String associatedData);

  /**
   * Opens an envelope made by {@link #encrypt}.
   *
   * @throws TokenDecryptionException if the envelope was tampered with, moved to another row or
   *     field, or names a key this broker does not hold
   */
  String decrypt(String envelope, String associatedData);

  /** The associated data convention: {@code <table>:<row id>:<field>}. */
  static String aad(String table, Object rowId, String field) {
    return table + ":" + rowId + ":" + field;
  }
}
