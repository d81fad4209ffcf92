package io.tokenbroker.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Seeds and reads connection rows directly, for tests that need a known starting state. */
public final class Connections {

  private Connections() {}

  public static UUID seed(String provider, Set<String> callers) {
    UUID id = UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Connection c = new Connection();
              c.id = id;
              c.provider = provider;
              c.accountId = "acct-" + id;
              c.accountUsername = "user-" + id.toString().substring(0, 8);
              c.status = ConnectionStatus.ACTIVE;
              c.scopes = "boards:read pins:read";
              c.createdAt = Instant.now();
              c.updatedAt = c.createdAt;
              c.allowedCallers.addAll(callers);
              c.persist();
            });
    return id;
  }

  public static Connection load(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = Connection.findById(id);
              c.allowedCallers.size();
              return c;
            });
  }
}
