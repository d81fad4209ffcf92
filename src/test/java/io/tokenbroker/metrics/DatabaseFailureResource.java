package io.tokenbroker.metrics;

import io.quarkus.security.Authenticated;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * A test-only endpoint whose statement PostgreSQL refuses, so that a real database error travels
 * the path every endpoint's database errors take (the problem mapper).
 */
@Path("/v1/test/database-failure")
@Authenticated
public class DatabaseFailureResource {

  private final EntityManager em;

  DatabaseFailureResource(EntityManager em) {
    this.em = em;
  }

  @POST
  @Transactional
  public String fail() {
    return String.valueOf(
        em.createNativeQuery("select count(*) from table_that_does_not_exist").getSingleResult());
  }
}
