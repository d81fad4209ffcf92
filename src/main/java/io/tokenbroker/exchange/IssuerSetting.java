package io.tokenbroker.exchange;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The issuer identifier the metadata document publishes. Checked at startup, so that a wrong {@code
 * broker.exchange.issuer} stops the broker with its key named instead of publishing an issuer that
 * clients refuse (RFC 8414 section 3.3 has them compare it with the URL they used).
 */
@Startup
@ApplicationScoped
class IssuerSetting {

  static final String KEY = "broker.exchange.issuer";

  private final Optional<String> configured;

  IssuerSetting(ExchangeConfig config) {
    this.configured = config.issuer().map(IssuerSetting::checked);
  }

  /** The configured issuer, or the origin the request was sent to. */
  String issuer(URI requestBase) {
    return configured.orElseGet(
        () -> requestBase.getScheme() + "://" + requestBase.getRawAuthority());
  }

  static String checked(URI issuer) {
    String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
    if (!issuer.isAbsolute()
        || !(scheme.equals("https") || scheme.equals("http"))
        || issuer.getRawAuthority() == null
        || issuer.getRawQuery() != null
        || issuer.getRawFragment() != null) {
      throw new IllegalStateException(
          KEY
              + " must be the broker's public base URL (https://host[:port][/path], no query or"
              + " fragment), not '"
              + issuer
              + "'");
    }
    String text = issuer.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
