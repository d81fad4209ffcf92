package io.tokenbroker.grant;

/** The RFC 6749 grants the broker uses, by their wire names. */
public enum GrantType {
  AUTHORIZATION_CODE("authorization_code"),
  REFRESH_TOKEN("refresh_token"),
  CLIENT_CREDENTIALS("client_credentials");

  private final String wire;

  GrantType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
