package io.tokenbroker.caller;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.PostgresResource;
import java.util.List;
import java.util.Map;

/** The broker trusts one EC public key given as PEM, the way an operator configures a key file. */
public class Es256PemKeyProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "mp.jwt.verify.publickey",
        CallerTokens.pem(CallerTokens.es256VerificationKey()),
        "mp.jwt.verify.issuer",
        CallerTokens.ISSUER,
        "mp.jwt.verify.audiences",
        CallerTokens.AUDIENCE);
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(PostgresResource.class));
  }

  /** The run-wide RS256 key would replace the EC key this profile configures. */
  @Override
  public boolean disableGlobalTestResources() {
    return true;
  }
}
