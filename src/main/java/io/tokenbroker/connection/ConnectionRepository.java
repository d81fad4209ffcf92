package io.tokenbroker.connection;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ConnectionRepository implements PanacheRepositoryBase<Connection, UUID> {

  /** Lists connections, optionally narrowed to one provider and/or one status. */
  public List<Connection> list(Optional<String> provider, Optional<ConnectionStatus> status) {
    StringBuilder query = new StringBuilder("1 = 1");
    Parameters params = new Parameters();
    provider.ifPresent(
        p -> {
          query.append(" and provider = :provider");
          params.and("provider", p);
        });
    status.ifPresent(
        s -> {
          query.append(" and status = :status");
          params.and("status", s);
        });
    return find(query.toString(), Sort.by("createdAt"), params).list();
  }

  public Optional<Connection> findByAccount(String provider, String accountId) {
    return find("provider = ?1 and accountId = ?2", provider, accountId).firstResultOptional();
  }
}
