package io.tokenbroker.authorization;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How accounts are linked: {@code broker.authorization.*}. */
@ConfigMapping(prefix = "broker.authorization")
public interface AuthorizationConfig {

  /**
   * Where the browser may be sent back after linking. Each entry is either an origin ({@code
   * https://app.example.com}: any path on exactly that scheme, host and port) or a URL prefix that
   * ends with {@code /} ({@code https://app.example.com/settings/}). Default: empty, so {@code
   * return_to} is refused and the callback shows a small page instead.
   */
  Optional<List<String>> returnToAllowed();

  /** How long a started authorization (its state) stays usable. Default 10 minutes. */
  @WithDefault("PT10M")
  Duration requestTtl();

  /**
   * How long a started authorization is kept after it expired, so that a late callback is still
   * told "expired" in the log rather than "unknown"; then its row (and its encrypted PKCE verifier)
   * is deleted. Default 1 hour.
   */
  @WithDefault("PT1H")
  Duration expiredRequestRetention();

  /** How often expired authorizations are deleted. Default every 10 minutes. */
  @WithDefault("10m")
  String pruneEvery();
}
