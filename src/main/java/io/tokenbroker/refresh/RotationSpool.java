package io.tokenbroker.refresh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.grant.TokenResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The durable copy of {@link UnsavedRotations}: one file per connection in {@code
 * broker.refresh.unsaved-rotations-dir}, written the moment the database refuses a rotation (not
 * only at shutdown, so a killed process loses nothing either) and deleted once the rotation is
 * stored or superseded. The next start loads them back, and the connection's next refresh stores
 * them instead of presenting the spent refresh token.
 *
 * <p>A file holds live tokens, so its whole content is sealed with the {@link TokenCipher} that
 * seals the database columns, bound to its connection id: a file copied to another name does not
 * open. Its name is the connection id and nothing else. Writes go to a temporary file that is
 * synced and then renamed over the old one, so a reader never sees half a file.
 */
@ApplicationScoped
public class RotationSpool {

  private static final Logger LOG = Logger.getLogger(RotationSpool.class);
  static final String SUFFIX = ".rotation";
  static final String SETTING = "broker.refresh.unsaved-rotations-dir";
  private static final String TEMP_PREFIX = ".spool-";

  /** What a file holds, sealed. Instants as epoch milliseconds: no date parsing to go wrong. */
  record Entry(
      int v,
      String provider,
      String status,
      String spent,
      Long spentExpiresAt,
      String leaseOwner,
      Long leaseExpiresAt,
      String trigger,
      long obtainedAt,
      String accessToken,
      String tokenType,
      Long accessTokenExpiresAt,
      String refreshToken,
      Long refreshTokenExpiresAt,
      List<String> scopes,
      long receivedAt) {}

  private final Path dir;
  private final TokenCipher cipher;
  private final ObjectMapper json;
  private final boolean posix;

  /** The sealed content this process wrote or loaded per connection: only that one is deleted. */
  private final Map<UUID, String> held = new ConcurrentHashMap<>();

  /**
   * Files that did not open at start, tried again with each retry: in Vault mode the data keys may
   * become readable only after the start. Reported once each.
   */
  private final Set<Path> unopened = ConcurrentHashMap.newKeySet();

  RotationSpool(RefreshConfig config, TokenCipher cipher, ObjectMapper json) {
    this.dir = config.unsavedRotationsDir().toAbsolutePath().normalize();
    this.cipher = cipher;
    this.json = json;
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    prepare();
  }

  /** Where the files are (absolute); named in log lines so an operator can find them. */
  public Path directory() {
    return dir;
  }

  /**
   * Refuses to start without a directory to write to: finding out during a database outage, when a
   * rotation needs it, would be too late.
   */
  private void prepare() {
    try {
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      Path probe = Files.createTempFile(dir, TEMP_PREFIX, ".probe");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new ConfigurationException(
          SETTING
              + ": "
              + dir
              + " is not a writable directory ("
              + e.getClass().getSimpleName()
              + "); rotated tokens the database does not take are kept there",
          e);
    }
  }

  /**
   * Writes {@code unsaved} over the connection's previous file.
   *
   * @return whether it is on disk; false (logged) when the disk refused it
   */
  boolean write(UnsavedRotations.Unsaved unsaved) {
    UUID id = unsaved.lease().id();
    try {
      String sealed = cipher.encrypt(json.writeValueAsString(toEntry(unsaved)), aad(id));
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
              }
              : new FileAttribute<?>[0];
      Path tmp = Files.createTempFile(dir, TEMP_PREFIX + id, ".tmp", attrs);
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(sealed.getBytes(StandardCharsets.US_ASCII)));
        // On disk before the rename makes it the connection's file: a node crash right after
        // must not leave an empty file in place of the rotation.
        out.force(true);
      }
      Files.move(
          tmp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      held.put(id, sealed);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.errorf(
          "CRITICAL: connection %s: rotated tokens could not be written to %s (%s); they are kept"
              + " in memory only",
          id, dir, e.getClass().getSimpleName());
      return false;
    }
  }

  /** Deletes the connection's file when it is still the one this process wrote or loaded. */
  void delete(UUID id) {
    String mine = held.remove(id);
    if (mine == null) {
      return;
    }
    Path file = file(id);
    try {
      // Another replica sharing the directory may have replaced it with a newer rotation.
      if (Files.exists(file)
          && mine.equals(Files.readString(file, StandardCharsets.US_ASCII).strip())) {
        Files.delete(file);
      }
    } catch (IOException e) {
      LOG.warnf(
          "connection %s: stored rotation's spool file %s not deleted (%s); the next start finds"
              + " it superseded and deletes it",
          id, file, e.getClass().getSimpleName());
    }
  }

  /** Whether this process holds the connection's rotation on disk. */
  boolean holds(UUID id) {
    return held.containsKey(id);
  }

  /**
   * Every rotation in the directory. A file that does not open (its data key is gone, or it was
   * altered) is logged and left in place for an operator; the others are loaded.
   */
  List<UnsavedRotations.Unsaved> load() {
    List<UnsavedRotations.Unsaved> loaded = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        readOne(file).ifPresent(loaded::add);
      }
    } catch (IOException e) {
      LOG.errorf(
          "CRITICAL: the spool %s of rotated tokens could not be listed (%s)",
          dir, e.getClass().getSimpleName());
    }
    return loaded;
  }

  /** The files that did not open before and do now (their key became readable). */
  List<UnsavedRotations.Unsaved> retryUnopened() {
    List<UnsavedRotations.Unsaved> opened = new ArrayList<>();
    for (Path file : List.copyOf(unopened)) {
      if (!Files.exists(file)) {
        unopened.remove(file);
        continue;
      }
      readOne(file).ifPresent(opened::add);
    }
    return opened;
  }

  private Optional<UnsavedRotations.Unsaved> readOne(Path file) {
    String name = file.getFileName().toString();
    UUID id;
    try {
      id = UUID.fromString(name.substring(0, name.length() - SUFFIX.length()));
    } catch (IllegalArgumentException e) {
      LOG.warnf("%s: not a connection's rotation (the name is no connection id); ignored", file);
      return Optional.empty();
    }
    try {
      String sealed = Files.readString(file, StandardCharsets.US_ASCII).strip();
      Entry entry = json.readValue(cipher.decrypt(sealed, aad(id)), Entry.class);
      UnsavedRotations.Unsaved unsaved = fromEntry(id, entry);
      held.put(id, sealed);
      if (unopened.remove(file)) {
        LOG.warnf("connection %s: the rotated tokens in %s opened now", id, file);
      }
      return Optional.of(unsaved);
    } catch (IOException | RuntimeException e) {
      if (!unopened.add(file)) {
        LOG.debugf("%s still does not open (%s)", file, e.getClass().getSimpleName());
        return Optional.empty();
      }
      // The message of a decryption failure names the key or the AAD, never token material.
      LOG.errorf(
          "CRITICAL: connection %s: the rotated tokens in %s cannot be opened (%s: %s); the file"
              + " is kept. Restore the data key that sealed it and restart, or link the account"
              + " again",
          id, file, e.getClass().getSimpleName(), e.getMessage());
      return Optional.empty();
    }
  }

  private Path file(UUID id) {
    return dir.resolve(id + SUFFIX);
  }

  private static String aad(UUID id) {
    return TokenCipher.aad("unsaved_rotations", id, "rotation");
  }

  private static Entry toEntry(UnsavedRotations.Unsaved u) {
    HeldLease lease = u.lease();
    TokenResponse t = u.tokens();
    return new Entry(
        1,
        lease.provider(),
        lease.status().name(),
        lease.refreshTokenEnc(),
        millis(lease.refreshTokenExpiresAt()),
        lease.owner() == null ? null : lease.owner().id(),
        millis(lease.expiresAt()),
        u.trigger().name(),
        u.obtainedAt().toEpochMilli(),
        t.accessToken(),
        t.tokenType(),
        t.accessTokenExpiresAt().map(Instant::toEpochMilli).orElse(null),
        t.refreshToken().orElse(null),
        t.refreshTokenExpiresAt().map(Instant::toEpochMilli).orElse(null),
        List.copyOf(t.scopes()),
        t.receivedAt().toEpochMilli());
  }

  private static UnsavedRotations.Unsaved fromEntry(UUID id, Entry e) {
    if (e.v() != 1) {
      throw new IllegalStateException("unknown spool format version " + e.v());
    }
    HeldLease lease =
        new HeldLease(
            id,
            e.provider(),
            ConnectionStatus.valueOf(e.status()),
            e.spent(),
            instant(e.spentExpiresAt()),
            e.leaseOwner() == null ? null : new LeaseOwner(e.leaseOwner()),
            instant(e.leaseExpiresAt()),
            // That lease ended with the process that held it: nothing of it is left.
            System.nanoTime());
    TokenResponse tokens =
        new TokenResponse(
            e.accessToken(),
            e.tokenType(),
            Optional.ofNullable(instant(e.accessTokenExpiresAt())),
            Optional.ofNullable(e.refreshToken()),
            Optional.ofNullable(instant(e.refreshTokenExpiresAt())),
            e.scopes() == null ? Set.of() : Set.copyOf(e.scopes()),
            Instant.ofEpochMilli(e.receivedAt()));
    return new UnsavedRotations.Unsaved(
        lease, tokens, RefreshTrigger.valueOf(e.trigger()), Instant.ofEpochMilli(e.obtainedAt()));
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
