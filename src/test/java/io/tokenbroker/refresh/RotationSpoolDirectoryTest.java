package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool directory is checked at startup, not first needed during a database outage. */
class RotationSpoolDirectoryTest {

  @TempDir Path work;

  @Test
  void aSpoolPathThatIsAFileFailsTheStartNamingTheSetting() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> new RotationSpool(config(file), null, new ObjectMapper()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.refresh.unsaved-rotations-dir")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aMissingSpoolDirectoryIsCreatedForTheOwnerOnly() throws Exception {
    Path dir = work.resolve("data/unsaved-rotations");

    RotationSpool spool = new RotationSpool(config(dir), null, new ObjectMapper());

    assertThat(spool.directory()).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (var left = Files.list(dir)) {
      assertThat(left).as("the writability probe leaves nothing behind").isEmpty();
    }
  }

  private static RefreshConfig config(Path dir) {
    return (RefreshConfig)
        Proxy.newProxyInstance(
            RefreshConfig.class.getClassLoader(),
            new Class<?>[] {RefreshConfig.class},
            (proxy, method, args) -> {
              if (method.getName().equals("unsavedRotationsDir")) {
                return dir;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
