package io.tokenbroker.caller;

/** The roles a caller JWT can carry in its {@code groups} claim. */
public final class Roles {

  /** Manages connections and starts authorizations; does not by itself get tokens. */
  public static final String BROKER_ADMIN = "broker-admin";

  /** Fetches the tokens of the connections and providers it is listed on. */
  public static final String TOKEN_CONSUMER = "token-consumer";

  private Roles() {}
}
