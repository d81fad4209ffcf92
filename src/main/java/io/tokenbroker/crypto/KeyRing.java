package io.tokenbroker.crypto;

import java.util.Optional;

/** The data keys a {@link TokenCipher} seals with (the newest) and opens with (any held). */
interface KeyRing {

  /** The key new values are sealed with. */
  DataKey current();

  /** A key by the id an envelope names, if this broker holds it. */
  Optional<DataKey> find(String keyId);
}
