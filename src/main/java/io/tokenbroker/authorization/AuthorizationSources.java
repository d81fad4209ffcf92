package io.tokenbroker.authorization;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/** Finds the {@link AuthorizationSource} named by an authorization request's source. */
@ApplicationScoped
class AuthorizationSources {

  private final Instance<AuthorizationSource> sources;

  AuthorizationSources(Instance<AuthorizationSource> sources) {
    this.sources = sources;
  }

  /** {@code kind:reference}, the form an authorization request stores. */
  static String name(AuthorizationSource source, String reference) {
    return source.kind() + ":" + reference;
  }

  Optional<Found> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    int colon = name.indexOf(':');
    String kind = colon < 0 ? name : name.substring(0, colon);
    String reference = colon < 0 ? "" : name.substring(colon + 1);
    for (AuthorizationSource source : sources) {
      if (source.kind().equals(kind)) {
        return Optional.of(new Found(source, reference));
      }
    }
    // A request whose source is gone from this build must not link silently around it.
    throw new IllegalStateException("No authorization source of kind '" + kind + "'.");
  }

  record Found(AuthorizationSource source, String reference) {}
}
