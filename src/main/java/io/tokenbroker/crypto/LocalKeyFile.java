package io.tokenbroker.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The embedded default's data keys: a small text file of {@code <key id> <base64 key>} lines,
 * newest last, readable by the owner only. It is created with one key on first start; whoever holds
 * it can read every stored token, so it must be backed up with the database and never shared.
 */
final class LocalKeyFile {

  private static final Logger LOG = Logger.getLogger(LocalKeyFile.class);
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final String HEADER =
      "# Token Broker data keys (embedded default). Whoever reads this file can decrypt every"
          + " stored token:\n# keep it owner-only, back it up with the database, never commit it.\n";

  private LocalKeyFile() {}

  /** The keys in {@code file}, oldest first; the file is created with one new key if absent. */
  static List<DataKey> loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      warnIfReadableByOthers(file);
      return parse(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the local key file " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
    if (!Files.exists(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectories(dir);
      }
    }
    byte[] material = new byte[DataKey.KEY_BYTES];
    new SecureRandom().nextBytes(material);
    String id = "local-" + HexFormat.of().formatHex(randomBytes(4));
    String content = HEADER + id + " " + Base64.getEncoder().encodeToString(material) + "\n";
    // Written to a private temporary file first and moved into place, so that the key never exists
    // with wider permissions and a concurrent reader never sees half a file.
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".token-broker-keys", ".tmp", attrs);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.createLink(file, tmp);
      LOG.infof("Created local data key %s in %s", id, file);
    } catch (FileAlreadyExistsException raced) {
      // Another instance created it first: use theirs, so both decrypt the same values.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static List<DataKey> parse(Path file) throws IOException {
    List<DataKey> keys = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      try {
        if (parts.length != 2) {
          throw new IllegalArgumentException("expected '<key id> <base64 key>'");
        }
        keys.add(DataKey.of(parts[0], Base64.getDecoder().decode(parts[1])));
      } catch (IllegalArgumentException e) {
        // The message names the line, never its content: the content is key material.
        throw new IllegalStateException(
            "Local key file " + file + " line " + lineNo + " is malformed: " + e.getMessage());
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalStateException("Local key file " + file + " holds no key");
    }
    return keys;
  }

  private static void warnIfReadableByOthers(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")
        && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
      LOG.warnf(
          "Local key file %s is readable or writable by others than its owner; run chmod 600 on it",
          file);
    }
  }

  private static Path existingAncestor(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of(".").toAbsolutePath() : p;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
