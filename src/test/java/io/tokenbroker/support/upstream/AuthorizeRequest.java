package io.tokenbroker.support.upstream;

import java.util.Map;

/**
 * One browser visit to the stand-in's {@code GET /oauth/} as it arrived, and what it answered.
 *
 * @param parameters the query parameters as sent
 * @param pkceParametersSent whether {@code code_challenge} or {@code code_challenge_method} was
 *     present (Pinterest ignores both; recorded so tests can see what the broker sends)
 * @param outcome {@code consented}, {@code denied}, or the refusal reason
 */
public record AuthorizeRequest(
    Map<String, String> parameters, boolean pkceParametersSent, String outcome) {

  public AuthorizeRequest {
    parameters = Map.copyOf(parameters);
  }

  public String parameter(String name) {
    return parameters.get(name);
  }

  @Override
  public String toString() {
    return "AuthorizeRequest" + parameters.keySet() + " -> " + outcome;
  }
}
