package io.tokenbroker.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One 256-bit data key and the id that envelopes name it by. {@link #toString()} shows the id only,
 * so a key cannot reach a log line by accident.
 */
record DataKey(String id, SecretKey key) {

  static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Ids appear inside {@code tb1:<id>:...} envelopes and in SQL LIKE prefixes, so they contain
   * neither the separator nor a LIKE wildcard.
   */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  DataKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a data key id must match " + ID.pattern());
    }
    if (key == null || key.getEncoded() == null || key.getEncoded().length != KEY_BYTES) {
      throw new IllegalArgumentException("a data key must be 256 bits");
    }
  }

  static DataKey of(String id, byte[] material) {
    return new DataKey(id, new SecretKeySpec(material, "AES"));
  }

  /** A fresh random key whose id is {@code prefix} and eight random hex digits. */
  static DataKey generate(String prefix) {
    byte[] material = new byte[KEY_BYTES];
    RANDOM.nextBytes(material);
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return of(prefix + HexFormat.of().formatHex(suffix), material);
  }

  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  @Override
  public String toString() {
    return "DataKey[" + id + "]";
  }
}
