package io.tokenbroker.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The embedded default's data keys: a small text file of {@code <key id> <base64 key> [retired]}
 * lines, newest last, readable by the owner only. It is created with one key on first start;
 * whoever holds it can read every stored token, so it must be backed up with the database and never
 * shared.
 */
final class LocalKeyFile {

  private static final Logger LOG = Logger.getLogger(LocalKeyFile.class);
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final String RETIRED = "retired";
  private static final String HEADER =
      "# Token Broker data keys (embedded default). Whoever reads this file can decrypt every"
          + " stored token:\n# keep it owner-only, back it up with the database, never commit it.\n";

  /** One line of the file. */
  record Entry(DataKey key, boolean retired) {}

  private final Path file;

  LocalKeyFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  /** When the file last changed; null when it cannot be read. */
  FileTime modifiedAt() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  /** The keys in the file, oldest first; the file is created with one new key if absent. */
  List<Entry> loadOrCreate() {
    try {
      if (!Files.exists(file)) {
        create();
      }
      warnIfReadableByOthers();
      return parse();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the local key file " + file, e);
    }
  }

  /** Replaces the file's content with {@code entries}, never exposing it with wider permissions. */
  void write(List<Entry> entries) {
    try {
      Path tmp = privateTempFile(render(entries));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the local key file " + file, e);
    }
  }

  private void create() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      if (posix(existingAncestor(dir))) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectories(dir);
      }
    }
    DataKey key = DataKey.generate("local-");
    Path tmp = privateTempFile(render(List.of(new Entry(key, false))));
    try {
      // A link, unlike a move, fails when the target exists: if another instance created the
      // file first, both keep using theirs and decrypt the same values.
      Files.createLink(file, tmp);
      LOG.infof("Created local data key %s in %s", key.id(), file);
    } catch (FileAlreadyExistsException raced) {
      LOG.debugf("Local key file %s was created concurrently; using it", file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Path privateTempFile(String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    FileAttribute<?>[] attrs =
        posix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".token-broker-keys", ".tmp", attrs);
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    return tmp;
  }

  private static String render(List<Entry> entries) {
    StringBuilder out = new StringBuilder(HEADER);
    for (Entry e : entries) {
      out.append(e.key().id())
          .append(' ')
          .append(Base64.getEncoder().encodeToString(e.key().key().getEncoded()))
          .append(e.retired() ? " " + RETIRED : "")
          .append('\n');
    }
    return out.toString();
  }

  private List<Entry> parse() throws IOException {
    List<Entry> entries = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      try {
        boolean shapeOk = parts.length == 2 || (parts.length == 3 && RETIRED.equals(parts[2]));
        if (!shapeOk) {
          throw new IllegalArgumentException("expected '<key id> <base64 key> [retired]'");
        }
        entries.add(
            new Entry(
                DataKey.of(parts[0], Base64.getDecoder().decode(parts[1])), parts.length == 3));
      } catch (IllegalArgumentException e) {
        // The message names the line, never its content: the content is key material.
        throw new IllegalStateException(
            "Local key file " + file + " line " + lineNo + " is malformed: " + e.getMessage());
      }
    }
    if (entries.stream().allMatch(Entry::retired)) {
      throw new IllegalStateException("Local key file " + file + " holds no active key");
    }
    return entries;
  }

  private void warnIfReadableByOthers() throws IOException {
    if (posix(file) && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
      LOG.warnf(
          "Local key file %s is readable or writable by others than its owner; run chmod 600 on it",
          file);
    }
  }

  private static boolean posix(Path existing) throws IOException {
    return Files.getFileStore(existing).supportsFileAttributeView("posix");
  }

  private static Path existingAncestor(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of(".").toAbsolutePath() : p;
  }
}
