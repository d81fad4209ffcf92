package io.tokenbroker.metrics;

import java.util.Set;

/**
 * The configured provider ids: the only values the {@code provider} tag takes. The provider package
 * produces it, so that metrics need not know the provider catalogue.
 */
public record ProviderIds(Set<String> ids) {

  public ProviderIds {
    ids = Set.copyOf(ids);
  }
}
