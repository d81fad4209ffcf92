package io.tokenbroker.audit;

/** What was done, by its audit name. */
public enum AuditAction {
  AUTHORIZATION_STARTED("authorization.started"),
  AUTHORIZATION_COMPLETED("authorization.completed"),
  AUTHORIZATION_FAILED("authorization.failed"),
  TOKEN_ISSUED("token.issued"),
  TOKEN_DENIED("token.denied"),
  PROXY_CALLED("proxy.called"),
  PROXY_DENIED("proxy.denied"),
  CLIENT_TOKEN_ISSUED("client_token.issued"),
  CLIENT_TOKEN_DENIED("client_token.denied"),
  CONNECTION_REFRESHED("connection.refreshed"),
  CONNECTION_REFRESH_FAILED("connection.refresh_failed"),
  CONNECTION_STATUS_CHANGED("connection.status_changed"),
  CONNECTION_CALLERS_CHANGED("connection.callers_changed"),
  CONNECTION_DELETED("connection.deleted");

  private final String wire;

  AuditAction(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
