package io.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every {@code @QuarkusTest} runs against one real PostgreSQL server and trusts the test caller
 * key: declared once here, applied to the whole test run.
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = CallerTokens.class, restrictToAnnotatedClass = false)
public final class BrokerTest {
  private BrokerTest() {}
}
