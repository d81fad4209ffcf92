package io.tokenbroker.hardening;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row count and content checksum of every table a request could change by mistake. Two equal
 * fingerprints mean no row was added, removed or altered in between. The audit trail is left out on
 * purpose: refusals may be audited.
 */
record DatabaseFingerprint(Map<String, String> tables) {

  private static final List<String> TABLES =
      List.of("connection", "connection_caller", "authorization_request", "data_key");

  static DatabaseFingerprint take() {
    AgroalDataSource dataSource = Arc.container().instance(AgroalDataSource.class).get();
    Map<String, String> tables = new LinkedHashMap<>();
    try (Connection db = dataSource.getConnection();
        Statement query = db.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet row =
            query.executeQuery(
                "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by"
                    + " t::text)), '-') from "
                    + table
                    + " t")) {
          row.next();
          tables.put(table, row.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not fingerprint the database", e);
    }
    return new DatabaseFingerprint(tables);
  }
}
