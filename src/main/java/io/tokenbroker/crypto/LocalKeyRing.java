package io.tokenbroker.crypto;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The embedded default's key ring: every key of the local key file, the last one current. */
final class LocalKeyRing implements KeyRing {

  private final Map<String, DataKey> byId = new LinkedHashMap<>();
  private final DataKey current;

  LocalKeyRing(Path file) {
    List<DataKey> keys = LocalKeyFile.loadOrCreate(file);
    keys.forEach(k -> byId.put(k.id(), k));
    current = keys.get(keys.size() - 1);
  }

  @Override
  public DataKey current() {
    return current;
  }

  @Override
  public Optional<DataKey> find(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }
}
