package io.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Points the broker at a {@link RestartablePostgres} of its own, through the production
 * configuration path. Meant for a test profile that disables the global test resources, so that the
 * shared server of {@link PostgresResource} is neither started nor touched; the test class gets the
 * server in a field annotated {@link InjectRestartablePostgres} (handed over by Quarkus, not
 * through a static field, which the test's class loader might not share).
 */
public class RestartablePostgresResource implements QuarkusTestResourceLifecycleManager {

  /** Marks the test field that receives the running server. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectRestartablePostgres {}

  private RestartablePostgres postgres;

  @Override
  public Map<String, String> start() {
    postgres = RestartablePostgres.start();
    return Map.of(
        "quarkus.datasource.jdbc.url",
        postgres.jdbcUrl(),
        "quarkus.datasource.username",
        RestartablePostgres.USER,
        "quarkus.datasource.password",
        "unused");
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        postgres,
        new TestInjector.AnnotatedAndMatchesType(
            InjectRestartablePostgres.class, RestartablePostgres.class));
  }

  @Override
  public void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }
}
