package io.tokenbroker.token;

import io.tokenbroker.connection.ConnectionSnapshot;

/**
 * A connection's opened access token for the proxy to attach upstream; it never leaves the broker.
 * The snapshot says which stored (sealed) token it is, so that a 401 refreshes only that one.
 */
public record UpstreamBearer(ConnectionSnapshot connection, String accessToken) {

  public String provider() {
    return connection.provider();
  }

  @Override
  public String toString() {
    return "UpstreamBearer[redacted, connection=" + connection.id() + "]";
  }
}
