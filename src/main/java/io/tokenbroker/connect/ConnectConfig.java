package io.tokenbroker.connect;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** Connect links and their page: {@code broker.connect.*}. */
@ConfigMapping(prefix = "broker.connect")
public interface ConnectConfig {

  /**
   * The broker's public URL as the people who open links reach it (scheme, host, optional port and
   * path prefix; {@code https}, or {@code http} for localhost only), e.g. {@code
   * https://broker.example.com}. Links are {@code <this>/connect/<token>}, and the page's POST must
   * come from this origin. No default: while unset, creating a link answers 409 {@code
   * connect_links_not_configured} and {@code /connect/} pages answer 404; a set but unusable value
   * fails the start.
   */
  Optional<String> publicBaseUrl();

  /** The product name the page shows. Default {@code Token Broker}. */
  @WithDefault("Token Broker")
  String productName();

  /**
   * Whom people may contact with questions (an e-mail address or URL, shown as text). Default:
   * none.
   */
  Optional<String> supportContact();

  /**
   * How the page names each provider, by provider id ({@code broker.connect.provider-names.local=
   * Local OAuth}). Default: the provider id with a capital first letter ({@code pinterest} becomes
   * {@code Pinterest}).
   */
  Map<String, String> providerNames();
}
