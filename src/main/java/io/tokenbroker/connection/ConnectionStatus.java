package io.tokenbroker.connection;

import com.fasterxml.jackson.annotation.JsonValue;

/** The life of a linked account's grant; see "Connection states" in the architecture. */
public enum ConnectionStatus {
  /** Tokens are valid and refreshing works. */
  ACTIVE("active"),
  /** The last refresh failed transiently; still served while the access token lives. */
  DEGRADED("degraded"),
  /** The grant is dead (invalid_grant, refresh token expired): a person must link again. */
  REAUTHORIZATION_REQUIRED("reauthorization_required"),
  /** Deleted by an administrator; tokens destroyed, record kept for the audit trail. */
  REVOKED("revoked");

  private final String wire;

  ConnectionStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static ConnectionStatus fromWire(String value) {
    for (ConnectionStatus status : values()) {
      if (status.wire.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown connection status");
  }
}
