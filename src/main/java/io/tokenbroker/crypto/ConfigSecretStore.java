package io.tokenbroker.crypto;

import io.quarkus.arc.DefaultBean;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The embedded default's secret store: {@code broker.providers.<id>.client-secret} (and {@code
 * client-secret-previous}) from configuration. Configuration is re-read on {@link #reload}, so an
 * environment or file change is seen without a restart where the config source supports it. It
 * gives way to any other {@link SecretStore} bean (Vault).
 */
@DefaultBean
@ApplicationScoped
public class ConfigSecretStore implements SecretStore {

  @Override
  public ClientSecret clientSecret(String providerId) {
    return reload(providerId);
  }

  @Override
  public ClientSecret reload(String providerId) {
    var config = ConfigProvider.getConfig();
    String prefix = "broker.providers." + providerId + ".";
    return config
        .getOptionalValue(prefix + "client-secret", String.class)
        .map(
            current ->
                new ClientSecret(
                    current,
                    config.getOptionalValue(prefix + "client-secret-previous", String.class)))
        .orElseThrow(
            () ->
                new BrokerException(
                    ProblemCode.SERVICE_UNAVAILABLE,
                    "No client secret is configured for provider '"
                        + providerId
                        + "' (set broker.providers."
                        + providerId
                        + ".client-secret, or configure Vault)."));
  }

  @Override
  public Optional<String> brokerSecret(String configKey, String vaultPath, String vaultKey) {
    return ConfigProvider.getConfig()
        .getOptionalValue(configKey, String.class)
        .filter(v -> !v.isBlank());
  }

  @Override
  public boolean readsVault() {
    return false;
  }
}
