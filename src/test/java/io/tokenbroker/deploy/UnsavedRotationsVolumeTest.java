package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotated tokens the database refused wait in a directory the broker can write on a read-only root
 * filesystem: an emptyDir by default (it survives a container restart), a claim the operator names
 * when they must survive the replacement of the pod.
 */
class UnsavedRotationsVolumeTest {

  private static final String DIRECTORY = "/deployments/data/unsaved-rotations";

  @Test
  void byDefaultTheSpoolIsAnEmptyDirMountedWhereTheBrokerIsToldToWrite() {
    Manifests manifests = Chart.render();

    assertThat(spoolSetting(manifests)).isEqualTo(DIRECTORY);
    assertThat(mountPath(manifests)).isEqualTo(DIRECTORY);
    JsonNode volume = volume(manifests);
    assertThat(volume.path("emptyDir").path("sizeLimit").asText()).isEqualTo("64Mi");
    assertThat(volume.has("persistentVolumeClaim")).isFalse();
  }

  @Test
  void anExistingClaimKeepsTheSpoolAcrossPodReplacement() {
    Manifests manifests =
        Chart.render(
            Map.of("refresh.unsavedRotations.persistence.existingClaim", "broker-unsaved"));

    JsonNode volume = volume(manifests);
    assertThat(volume.path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo("broker-unsaved");
    assertThat(volume.has("emptyDir")).isFalse();
    assertThat(mountPath(manifests)).isEqualTo(DIRECTORY);
    assertThat(spoolSetting(manifests)).isEqualTo(DIRECTORY);
  }

  private static String spoolSetting(Manifests manifests) {
    return Manifests.element(
            manifests.brokerContainer().path("env"), "name", "BROKER_REFRESH_UNSAVED_ROTATIONS_DIR")
        .path("value")
        .asText();
  }

  private static String mountPath(Manifests manifests) {
    return Manifests.element(
            manifests.brokerContainer().path("volumeMounts"), "name", "unsaved-rotations")
        .path("mountPath")
        .asText();
  }

  private static JsonNode volume(Manifests manifests) {
    return Manifests.element(manifests.podSpec().path("volumes"), "name", "unsaved-rotations");
  }
}
