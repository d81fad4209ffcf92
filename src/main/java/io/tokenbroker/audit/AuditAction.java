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
  CONNECTION_DELETED("connection.deleted"),
  CONNECT_LINK_CREATED("connect_link.created"),
  CONNECT_LINK_REVOKED("connect_link.revoked"),
  CONNECT_LINK_OPENED("connect_link.opened"),
  CONNECT_LINK_CONTINUED("connect_link.continued"),
  CONNECT_LINK_REFUSED("connect_link.refused"),
  CONNECT_LINK_USED("connect_link.used"),
  CONNECTION_IMPORTED("connection.imported"),
  CONNECTION_IMPORT_FAILED("connection.import_failed"),
  WEBHOOK_REDELIVERY_REQUESTED("webhook.redelivery_requested");

  private final String wire;

  AuditAction(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
