package io.tokenbroker.support;

import io.tokenbroker.support.upstream.PinterestStandIn;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings a packaged broker process ({@link BrokerProcess}) needs to run against a test's own
 * PostgreSQL and Pinterest stand-in, without Vault: its keys and caller keys under {@code work},
 * readable console lines, and the stand-in as its {@code pinterest} provider.
 */
public final class BrokerSettings {

  private BrokerSettings() {}

  public static Map<String, String> of(
      RestartablePostgres postgres, PinterestStandIn pinterest, Path work, int port) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    settings.put("quarkus.datasource.username", RestartablePostgres.USER);
    settings.put("quarkus.datasource.password", RestartablePostgres.USER);
    settings.put("quarkus.log.console.json.enabled", "false");
    // Every line up to the exit: the async console may drop its queue when the process ends.
    settings.put("quarkus.log.console.async.enabled", "false");
    settings.put("broker.crypto.local-key-file", work.resolve("keys/token-broker.keys").toString());
    settings.put("broker.callers.embedded-key-directory", work.resolve("caller-keys").toString());
    settings.put("mp.jwt.verify.publickey", CallerTokens.pem(CallerTokens.verificationKey()));
    settings.put("mp.jwt.verify.issuer", CallerTokens.ISSUER);
    settings.put("mp.jwt.verify.audiences", CallerTokens.AUDIENCE);
    String provider = "broker.providers.pinterest.";
    settings.put(provider + "preset", "pinterest");
    settings.put(provider + "authorization-endpoint", pinterest.authorizationEndpoint());
    settings.put(provider + "token-endpoint", pinterest.tokenEndpoint());
    settings.put(provider + "account-endpoint", pinterest.accountEndpoint());
    settings.put(provider + "revocation-endpoint", pinterest.revocationEndpoint());
    settings.put(provider + "api-base-url", pinterest.apiBaseUrl());
    settings.put(provider + "client-id", pinterest.clientId());
    settings.put(provider + "client-secret", pinterest.initialClientSecret());
    settings.put(provider + "redirect-uri", "http://localhost:" + port + "/v1/oauth/callback");
    return settings;
  }
}
