package io.tokenbroker.crypto;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded default's key ring: every key of the local key file, the last active one current.
 * Rotation appends a key to the file; retirement marks its line. A key it does not hold is looked
 * for once more in the file when the file changed since it was read: replicas that share one key
 * file see each other's rotations.
 */
final class LocalKeyRing implements KeyRing {

  private final LocalKeyFile file;
  private final Consumer<DataKey> onNewKey;
  private volatile List<LocalKeyFile.Entry> entries;
  private volatile FileTime readAt;

  LocalKeyRing(Path path) {
    this(path, key -> {});
  }

  /**
   * @param onNewKey told of each key a rotation adds, before any value is sealed with it
   */
  LocalKeyRing(Path path, Consumer<DataKey> onNewKey) {
    this.file = new LocalKeyFile(path);
    this.onNewKey = onNewKey;
    this.entries = List.copyOf(file.loadOrCreate());
    this.readAt = file.modifiedAt();
  }

  /** Every key the file holds, retired ones included. */
  List<DataKey> all() {
    return entries.stream().map(LocalKeyFile.Entry::key).toList();
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
    Optional<DataKey> held = held(keyId);
    if (held.isEmpty() && reloadIfChanged()) {
      return held(keyId);
    }
    return held;
  }

  private Optional<DataKey> held(String keyId) {
    return entries.stream()
        .map(LocalKeyFile.Entry::key)
        .filter(k -> k.id().equals(keyId))
        .findAny();
  }

  private synchronized boolean reloadIfChanged() {
    FileTime now = file.modifiedAt();
    if (now == null || now.equals(readAt)) {
      return false;
    }
    entries = List.copyOf(file.loadOrCreate());
    readAt = now;
    return true;
  }

  @Override
  public synchronized DataKey rotate() {
    DataKey key = DataKey.generate("local-");
    onNewKey.accept(key);
    List<LocalKeyFile.Entry> next = new ArrayList<>(entries);
    next.add(new LocalKeyFile.Entry(key, false));
    file.write(next);
    entries = List.copyOf(next);
    readAt = file.modifiedAt();
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
    readAt = file.modifiedAt();
  }
}
