package io.tokenbroker.exchange;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;

/** The OAuth token-exchange door: {@code broker.exchange.*}. */
@ConfigMapping(prefix = "broker.exchange")
public interface ExchangeConfig {

  /**
   * The broker's issuer identifier, as published in {@code /.well-known/oauth-authorization-server}
   * (RFC 8414): its public base URL, {@code https://}, no query or fragment, e.g. {@code
   * https://token-broker.example.com}. The token endpoint is this plus {@code /v1/token}. Default:
   * none, and each metadata request is answered with the scheme, host and port it was sent to; set
   * it when the broker sits behind a proxy or ingress that does not pass those on.
   */
  Optional<URI> issuer();
}
