package io.tokenbroker.crypto;

import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One 256-bit data key and the id that envelopes name it by. {@link #toString()} shows the id only,
 * so a key cannot reach a log line by accident.
 */
record DataKey(String id, SecretKey key) {

  static final int KEY_BYTES = 32;

  /** Ids appear inside {@code tb1:<id>:...} envelopes, so they must not contain the separator. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

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

  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  @Override
  public String toString() {
    return "DataKey[" + id + "]";
  }
}
