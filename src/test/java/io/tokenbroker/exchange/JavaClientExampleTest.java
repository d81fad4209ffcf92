package io.tokenbroker.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.io.File;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compiles the Java client example of docs/clients.md (docs/examples/java/BrokerTokenClient.java,
 * which the page shows verbatim: {@link ClientsDocTest}) and runs it against the broker, through
 * each door: it gets the token, serves it again from its cache, and turns a dead grant and an
 * unavailable provider into the exceptions it documents.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class JavaClientExampleTest {

  static final Path SOURCE = Path.of("docs/examples/java/BrokerTokenClient.java");
  private static final String CONSUMER = "svc-java-example";
  private static Class<?> client;

  @Inject MeterRegistry registry;
  private PinterestStandIn pinterest;

  @BeforeAll
  static void compileTheExample() throws Exception {
    Path classes = Files.createTempDirectory("java-client-example");
    String classpath =
        String.join(
            File.pathSeparator,
            jarOf(ObjectMapper.class),
            jarOf(JsonFactory.class),
            jarOf(JsonProperty.class));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    int result =
        javac
                .getTask(
                    diagnostics,
                    null,
                    null,
                    java.util.List.of(
                        "-d", classes.toString(), "-cp", classpath, "--release", "17"),
                    null,
                    javac
                        .getStandardFileManager(null, null, null)
                        .getJavaFileObjects(SOURCE.toFile()))
                .call()
            ? 0
            : 1;
    assertThat(result).as(diagnostics.toString()).isZero();
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ObjectMapper.class.getClassLoader());
    client = loader.loadClass("BrokerTokenClient");
  }

  private static String jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object example(String door) throws Exception {
    Class<? extends Enum> doors =
        (Class<? extends Enum>) client.getClassLoader().loadClass("BrokerTokenClient$Door");
    Supplier<String> jwt = () -> CallerTokens.token(CONSUMER, "token-consumer");
    return client
        .getConstructor(URI.class, Supplier.class, doors)
        .newInstance(
            URI.create(RestAssured.baseURI + ":" + RestAssured.port),
            jwt,
            Enum.valueOf(doors, door));
  }

  private static String accessToken(Object example, UUID id) throws Throwable {
    try {
      return (String) client.getMethod("accessToken", String.class).invoke(example, id.toString());
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private long connectionRequests() {
    return registry.find("broker.token.request").tag("kind", "connection").timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  @ParameterizedTest
  @ValueSource(strings = {"BROKER_API", "TOKEN_EXCHANGE"})
  void exampleFetchesOnceThenServesTheTokenFromItsCache(String door) throws Throwable {
    var linked = LinkedAccounts.linkNew(pinterest, "java-example", CONSUMER);
    Object example = example(door);
    long before = connectionRequests();
    assertThat(accessToken(example, linked.id())).isEqualTo(linked.grant().accessToken());
    assertThat(accessToken(example, linked.id())).isEqualTo(linked.grant().accessToken());
    assertThat(connectionRequests() - before).as("requests the broker saw").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"BROKER_API", "TOKEN_EXCHANGE"})
  void exampleTurnsADeadGrantIntoReauthorizationRequiredWithTheRelinkHint(String door)
      throws Throwable {
    var linked = LinkedAccounts.linkNew(pinterest, "java-example-dead", CONSUMER);
    Exchange.status(linked.id(), ConnectionStatus.REAUTHORIZATION_REQUIRED);
    Throwable thrown = catchThrowable(() -> accessToken(example(door), linked.id()));
    assertThat(thrown.getClass().getSimpleName()).isEqualTo("ReauthorizationRequired");
    assertThat(thrown.getMessage()).isNotBlank();
    assertThat((String) thrown.getClass().getField("relinkHint").get(thrown))
        .contains("/v1/authorizations")
        .contains("pinterest");
  }

  @ParameterizedTest
  @ValueSource(strings = {"BROKER_API", "TOKEN_EXCHANGE"})
  void exampleTurnsAnOutageWithoutAValidTokenIntoUnavailableWithRetryAfter(String door)
      throws Throwable {
    var linked = LinkedAccounts.linkNew(pinterest, "java-example-outage", CONSUMER);
    Exchange.accessTokenExpired(linked.id());
    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(120));
    Throwable thrown = catchThrowable(() -> accessToken(example(door), linked.id()));
    assertThat(thrown.getClass().getSimpleName()).isEqualTo("Unavailable");
    assertThat((Duration) thrown.getClass().getField("retryAfter").get(thrown))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(100));
  }
}
