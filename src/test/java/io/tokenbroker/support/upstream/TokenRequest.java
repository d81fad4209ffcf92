package io.tokenbroker.support.upstream;

import java.util.Map;

/**
 * One call to the stand-in's token endpoint as it arrived, and the status it got.
 *
 * @param grantType the {@code grant_type} parameter, or empty when missing or unreadable
 * @param form the form parameters (empty when the body was not form-encoded); holds codes and
 *     refresh tokens, so {@link #toString()} shows parameter names only
 * @param basicClientId the client id of the Basic header, or null when there was none
 * @param status the HTTP status answered; 0 when the connection was dropped
 */
public record TokenRequest(
    String grantType, Map<String, String> form, String basicClientId, int status) {

  public TokenRequest {
    form = Map.copyOf(form);
  }

  /** Whether the optional {@code continuous_refresh=true} flag was sent. */
  public boolean continuousRefreshRequested() {
    return "true".equalsIgnoreCase(form.get("continuous_refresh"));
  }

  public String parameter(String name) {
    return form.get(name);
  }

  @Override
  public String toString() {
    return "TokenRequest[" + grantType + " " + form.keySet() + " -> " + status + "]";
  }
}
