package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's caller key pair on disk. */
class CallerKeyFilesTest {

  @TempDir Path temp;

  @Test
  void firstStartCreatesAnOwnerOnlyDirectoryAndKeyFiles() throws Exception {
    Path dir = temp.resolve("data/keys");

    CallerKeyFiles.loadOrCreate(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    for (String name : new String[] {"caller-jwt-private.pem", "caller-jwt-public.pem"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name)
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("caller-jwt-private.pem", "caller-jwt-public.pem");
    }
  }

  @Test
  void laterStartsReuseThePairSoEarlierTokensStayValid() throws Exception {
    KeyPair first = CallerKeyFiles.loadOrCreate(temp);
    KeyPair second = CallerKeyFiles.loadOrCreate(temp);

    assertThat(second.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
    assertThat(second.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
  }

  @Test
  void filesAreStandardPemThatSignsAndVerifies() throws Exception {
    KeyPair pair = CallerKeyFiles.loadOrCreate(temp);
    String pem = Files.readString(temp.resolve("caller-jwt-private.pem"));
    assertThat(pem)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));

    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(new byte[] {1, 2, 3});

    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void halfAPairIsRefusedRatherThanOverwritten() throws Exception {
    CallerKeyFiles.loadOrCreate(temp);
    Files.delete(temp.resolve("caller-jwt-public.pem"));
    byte[] privateBefore = Files.readAllBytes(temp.resolve("caller-jwt-private.pem"));

    assertThatThrownBy(() -> CallerKeyFiles.loadOrCreate(temp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("caller-jwt-public.pem");
    assertThat(Files.readAllBytes(temp.resolve("caller-jwt-private.pem"))).isEqualTo(privateBefore);
  }

  @Test
  void keysFromTwoDifferentPairsAreRefused() throws Exception {
    Path a = temp.resolve("a");
    Path b = temp.resolve("b");
    CallerKeyFiles.loadOrCreate(a);
    CallerKeyFiles.loadOrCreate(b);
    Files.copy(
        b.resolve("caller-jwt-public.pem"),
        a.resolve("caller-jwt-public.pem"),
        StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> CallerKeyFiles.loadOrCreate(a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not one key pair");
  }

  @Test
  void unreadableKeyFileIsRefusedWithItsLocation() throws Exception {
    CallerKeyFiles.loadOrCreate(temp);
    Files.writeString(temp.resolve("caller-jwt-private.pem"), "garbage");

    assertThatThrownBy(() -> CallerKeyFiles.loadOrCreate(temp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(temp.toString());
  }
}
