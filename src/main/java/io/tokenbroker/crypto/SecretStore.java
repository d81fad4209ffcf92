package io.tokenbroker.crypto;

/**
 * Where provider client secrets live: Vault KV v2 in production, configuration on the embedded
 * default. Implementations cache briefly and never log a secret.
 */
public interface SecretStore {

  /** The client secret(s) of a provider, from cache when fresh. */
  ClientSecret clientSecret(String providerId);

  /**
   * Reads the secret again from its source, bypassing the cache: called once when the upstream
   * answers {@code invalid_client}, so an operator's rotation takes effect without a restart.
   */
  ClientSecret reload(String providerId);

  /**
   * One of the broker's own secrets (not a provider's), read now: from the KV v2 secret at {@code
   * vaultPath}, key {@code vaultKey}, when Vault is configured; otherwise from the configuration
   * property {@code configKey}. Empty when the source holds none.
   *
   * @throws VaultUnavailableException when Vault is configured but does not answer
   */
  java.util.Optional<String> brokerSecret(String configKey, String vaultPath, String vaultKey);

  /** Whether {@link #brokerSecret} reads Vault (for messages that say where to put a secret). */
  boolean readsVault();
}
