package io.tokenbroker.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default's key ring: every key of the local key file, the last active one current.
 * Rotation appends a key to the file; retirement marks its line.
 */
final class LocalKeyRing implements KeyRing {

  private final LocalKeyFile file;
  private volatile List<LocalKeyFile.Entry> entries;

  LocalKeyRing(Path path) {
    this.file = new LocalKeyFile(path);
    this.entries = List.copyOf(file.loadOrCreate());
  }

  @Override
  public DataKey current() {
    List<LocalKeyFile.Entry> all = entries;
    for (int i = all.size() - 1; i >= 0; i--) {
      if (!all.get(i).retired()) {
        return all.get(i).key();
      }
    }
    throw new IllegalStateException("no active key");
  }

  @Override
  public Optional<DataKey> find(String keyId) {
    return entries.stream()
        .map(LocalKeyFile.Entry::key)
        .filter(k -> k.id().equals(keyId))
        .findAny();
  }

  @Override
  public synchronized DataKey rotate() {
    DataKey key = DataKey.generate("local-");
    List<LocalKeyFile.Entry> next = new ArrayList<>(entries);
    next.add(new LocalKeyFile.Entry(key, false));
    file.write(next);
    entries = List.copyOf(next);
    return key;
  }

  @Override
  public List<String> activeKeyIds() {
    return entries.stream().filter(e -> !e.retired()).map(e -> e.key().id()).toList();
  }

  @Override
  public synchronized void retire(String keyId) {
    if (keyId.equals(current().id())) {
      return;
    }
    List<LocalKeyFile.Entry> next =
        entries.stream()
            .map(e -> e.key().id().equals(keyId) ? new LocalKeyFile.Entry(e.key(), true) : e)
            .toList();
    file.write(next);
    entries = next;
  }
}
