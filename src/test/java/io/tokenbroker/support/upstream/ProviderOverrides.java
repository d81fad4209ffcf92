package io.tokenbroker.support.upstream;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds the configuration a test resource hands to Quarkus for one broker provider: {@code
 * broker.providers.<id>.<key>} entries, the pinned test port, and any extra provider keys a test
 * passes as resource arguments.
 */
final class ProviderOverrides {

  /** Resource argument naming the provider id; every other argument is a provider key. */
  static final String PROVIDER_ARG = "provider";

  private final String provider;
  private final Map<String, String> extra;
  private final Map<String, String> config = new HashMap<>();

  ProviderOverrides(Map<String, String> initArgs, String defaultProvider) {
    this.provider = initArgs.getOrDefault(PROVIDER_ARG, defaultProvider);
    this.extra = new HashMap<>(initArgs);
    this.extra.remove(PROVIDER_ARG);
  }

  String provider() {
    return provider;
  }

  ProviderOverrides put(String key, String value) {
    config.put("broker.providers." + provider + "." + key, value);
    return this;
  }

  Map<String, String> build() {
    extra.forEach(this::put);
    config.put("quarkus.http.test-port", Integer.toString(BrokerTestPort.get()));
    return Map.copyOf(config);
  }
}
