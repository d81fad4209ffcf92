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
}
