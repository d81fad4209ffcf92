package io.tokenbroker.caller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The embedded default's caller-token key pair, kept as two PEM files (PKCS#8 private key, X.509
 * public key) that are created owner-only on first start and reused afterwards, so that tokens
 * minted before a restart stay valid.
 */
final class CallerKeyFiles {

  static final String PRIVATE_KEY_FILE = "caller-jwt-private.pem";
  static final String PUBLIC_KEY_FILE = "caller-jwt-public.pem";

  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private CallerKeyFiles() {}

  /** The pair in {@code directory}, generated (RSA 2048) when neither file exists yet. */
  static KeyPair loadOrCreate(Path directory) throws IOException {
    Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
    Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
    boolean hasPrivate = Files.exists(privateFile);
    boolean hasPublic = Files.exists(publicFile);
    if (hasPrivate && hasPublic) {
      return load(privateFile, publicFile);
    }
    if (hasPrivate || hasPublic) {
      // Regenerating here would silently overwrite a key someone may still rely on.
      throw new IllegalStateException(
          "Only one of "
              + privateFile
              + " and "
              + publicFile
              + " exists; delete the other one too to start with a new caller key pair"
              + " (tokens minted with the old one then stop working).");
    }
    return create(directory, privateFile, publicFile);
  }

  private static KeyPair load(Path privateFile, Path publicFile) throws IOException {
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey privateKey =
          (RSAPrivateCrtKey)
              rsa.generatePrivate(new PKCS8EncodedKeySpec(decode(privateFile, PRIVATE_LABEL)));
      RSAPublicKey publicKey =
          (RSAPublicKey)
              rsa.generatePublic(new X509EncodedKeySpec(decode(publicFile, PUBLIC_LABEL)));
      if (!privateKey.getModulus().equals(publicKey.getModulus())) {
        throw new IllegalStateException(
            privateFile
                + " and "
                + publicFile
                + " are not one key pair; delete both to start over.");
      }
      return new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "The caller key pair in " + privateFile.getParent() + " could not be read", e);
    }
  }

  private static KeyPair create(Path directory, Path privateFile, Path publicFile)
      throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available", e);
    }
    createOwnerOnlyDirectory(directory);
    // The public key first: a crash in between leaves a state that loadOrCreate refuses loudly
    // rather than a private key that nothing trusts.
    writeOwnerOnly(publicFile, encode(PUBLIC_LABEL, pair.getPublic().getEncoded()));
    writeOwnerOnly(privateFile, encode(PRIVATE_LABEL, pair.getPrivate().getEncoded()));
    return pair;
  }

  private static void createOwnerOnlyDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (isPosix(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  /**
   * Writes through a temporary file that is owner-only from the moment it exists, then renames it
   * into place, so the key is never readable by others nor half-written under its final name.
   */
  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    FileAttribute<?>[] ownerOnly =
        isPosix(directory)
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(directory, ".caller-jwt", ".tmp", ownerOnly);
    try {
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  static String encode(String label, byte[] der) {
    Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    return "-----BEGIN "
        + label
        + "-----\n"
        + base64.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static byte[] decode(Path file, String label) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(file + " is not a PEM " + label);
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }
}
