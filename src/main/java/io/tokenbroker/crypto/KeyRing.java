package io.tokenbroker.crypto;

import java.util.List;
import java.util.Optional;

/**
 * The data keys a {@link TokenCipher} seals with (the newest) and opens with (any it holds).
 *
 * <p>A retired key is one that no stored value used when it was retired. Its material is kept, so
 * that a value written under it by a replica that had not yet seen the rotation still opens; the
 * next re-encryption pass moves such a straggler to the current key.
 */
interface KeyRing {

  /** The key new values are sealed with. */
  DataKey current();

  /** A key by the id an envelope names, retired or not, if this broker holds it. */
  Optional<DataKey> find(String keyId);

  /** Makes a new key current and returns it; older keys stay readable. */
  DataKey rotate();

  /** Ids of the keys that are not retired, oldest first; the last is current. */
  List<String> activeKeyIds();

  /** Marks a key retired; the current key is never retired. */
  void retire(String keyId);

  /** Picks up keys another replica added since this one loaded its keys. */
  default void refresh() {}

  /**
   * Re-wraps the stored keys whose wrapping key has a newer version (a Transit key rotation), so
   * that older versions can be retired; returns how many changed. Keys kept in a local file are not
   * wrapped.
   */
  default int rewrap() {
    return 0;
  }
}
