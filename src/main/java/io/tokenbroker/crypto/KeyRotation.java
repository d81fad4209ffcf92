package io.tokenbroker.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Rotation of the data keys that encrypt stored tokens: on demand ({@link #rotate}, also {@code
 * POST /v1/admin/keys/rotate}) a new key becomes current for every new write, and a background job
 * moves stored values to it and retires keys no value uses.
 */
@ApplicationScoped
public class KeyRotation {

  private static final Logger LOG = Logger.getLogger(KeyRotation.class);

  /** What a rotation or a re-encryption pass did. */
  @Schema(name = "KeyRotationResult")
  public record Result(
      @JsonProperty("current_key") String currentKey,
      int reencrypted,
      int unreadable,
      @JsonProperty("retired_keys") List<String> retiredKeys,
      @JsonProperty("rewrapped_keys") int rewrappedKeys) {}

  private final KeyRing keys;
  private final StoredValueReencryptor reencryptor;

  KeyRotation(KeyRing keys, StoredValueReencryptor reencryptor) {
    this.keys = keys;
    this.reencryptor = reencryptor;
  }

  /**
   * Makes a new data key current, then re-encrypts every stored value under it and retires the
   * older keys no value uses.
   *
   * @throws VaultUnavailableException if Vault cannot wrap the new key; nothing changes then
   */
  public Result rotate() {
    DataKey key = keys.rotate();
    LOG.infof("Rotated: data key %s is now current", key.id());
    return reencrypt();
  }

  /** One re-encryption pass now (what the background job does). */
  public Result reencrypt() {
    StoredValueReencryptor.Pass pass = reencryptor.run();
    return new Result(
        pass.currentKey(),
        pass.reencrypted(),
        pass.unreadable(),
        pass.retiredKeys(),
        pass.rewrappedKeys());
  }

  @Scheduled(
      identity = "token-reencryption",
      every = "${broker.crypto.rotation.reencrypt-every}",
      delayed = "${broker.crypto.rotation.reencrypt-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduledPass() {
    try {
      reencryptor.run();
    } catch (VaultUnavailableException e) {
      LOG.warnf("Re-encryption pass skipped: %s", e.getMessage());
    }
  }
}
