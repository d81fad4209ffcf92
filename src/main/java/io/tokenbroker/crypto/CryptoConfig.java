package io.tokenbroker.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Encryption at rest and the secret store. Vault itself (address, authentication, TLS) is
 * configured with the standard {@code quarkus.vault.*} keys; setting {@code quarkus.vault.url}
 * switches the broker from the local key file and configured secrets to Vault.
 */
@ConfigMapping(prefix = "broker.crypto")
public interface CryptoConfig {

  /**
   * Where the embedded default keeps its data keys; created owner-only on first start. Default
   * {@code ./data/keys/token-broker.keys}. Unused when Vault is configured.
   */
  @WithDefault("./data/keys/token-broker.keys")
  Path localKeyFile();

  /** The Vault Transit key that wraps the data keys. */
  Transit transit();

  /** Provider client secrets in Vault KV v2. */
  Secrets secrets();

  /** Re-encryption of stored values after a key rotation. */
  Rotation rotation();

  /**
   * Longest the broker waits for one Vault call before treating Vault as unavailable. Default
   * {@code 10S}.
   */
  @WithDefault("10S")
  Duration vaultTimeout();

  interface Transit {

    /** Mount path of the Transit secrets engine. Default {@code transit}. */
    @WithDefault("transit")
    String mount();

    /** Name of the Transit key that wraps data keys. Default {@code token-broker}. */
    @WithDefault("token-broker")
    String key();
  }

  interface Secrets {

    /** Mount path of the KV version 2 secrets engine. Default {@code secret}. */
    @WithDefault("secret")
    String kvMount();

    /**
     * Path of a provider's secret inside the mount; {@code {provider}} is replaced by the provider
     * id. Default {@code token-broker/providers/{provider}}, read from {@code
     * secret/data/token-broker/providers/<id>} with keys {@code client_secret} and optional {@code
     * client_secret_previous}.
     */
    @WithDefault("token-broker/providers/{provider}")
    String pathTemplate();

    /**
     * How long a secret read from Vault is used before it is read again. Default {@code 3M}; an
     * {@code invalid_client} answer upstream forces a re-read at once.
     */
    @WithDefault("3M")
    Duration cacheTtl();
  }

  interface Rotation {

    /**
     * How often the background job re-encrypts values sealed under older keys and retires keys no
     * value uses (a Quarkus scheduler interval such as {@code 15m}). Default {@code 15m}.
     */
    @WithDefault("15m")
    String reencryptEvery();

    /** Rows re-encrypted per batch (one short statement each). Default {@code 100}. */
    @WithDefault("100")
    int batchSize();
  }
}
