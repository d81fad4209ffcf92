package io.tokenbroker.caller;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

/**
 * How SmallRye JWT verifies caller tokens: exactly as its {@code mp.jwt.*} configuration says,
 * plus, on the embedded default without a configured key, the broker's own public key.
 *
 * <p>The local key is created at runtime, in the data directory, after configuration is fixed; a
 * config source would have to generate keys while configuration is being read (also during the
 * build), and a key file location in {@code application.properties} could not depend on the
 * datasource mode. Replacing the verification context that SmallRye JWT injects (its parser and the
 * HTTP mechanism both take it from CDI) adds the key at the one point where both are known.
 */
@ApplicationScoped
class CallerVerification {

  @Produces
  @Alternative
  @Priority(1)
  @ApplicationScoped
  JWTAuthContextInfo verificationContext(
      JWTAuthContextInfoProvider configured, LocalCallerKeys localKeys) {
    JWTAuthContextInfo context = configured.getContextInfo();
    if (localKeys.active()) {
      context.setPublicVerificationKey(localKeys.keyPair().orElseThrow().getPublic());
    } else {
      // SmallRye JWT decodes a PEM key as the type of one algorithm taken from the allowed set,
      // and that set (RS256,ES256) has no order: an RSA key would sometimes be read as EC and
      // every token refused. Decoding it here by its own type makes it deterministic.
      PemPublicKeys.parse(context.getPublicKeyContent())
          .ifPresent(
              key -> {
                context.setPublicVerificationKey(key);
                context.setPublicKeyContent(null);
              });
    }
    return context;
  }
}
