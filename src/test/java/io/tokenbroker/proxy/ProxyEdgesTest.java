package io.tokenbroker.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.ApiRequest;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proxy at its edges: paths that try to leave the API base, bodies far larger than any buffer,
 * bodies over the limit, and a provider that is slow or gone. (Same test resources as {@link
 * ApiProxyTest}, so both run against one application.)
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ProxyEdgesTest {

  private static final long MIB = 1024 * 1024;

  private PinterestStandIn pinterest;
  private UUID id;
  private String jwt;

  @BeforeEach
  void linkAnAccount() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    id =
        LinkedAccounts.store(
            pinterest.issueGrant(
                "proxy-edge-" + UUID.randomUUID(),
                "boards:read",
                "boards:write",
                "user_accounts:read"),
            ApiProxyTest.CONSUMER);
    jwt = CallerTokens.token(ApiProxyTest.CONSUMER, "token-consumer");
  }

  private String url(String path) {
    return "/v1/connections/" + id + "/proxy/" + path;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../user_account",
        "boards/../../oauth/token",
        "%2e%2e/oauth/token",
        ".%2E/user_account",
        "./user_account",
        "boards%2f..%2fuser_account",
        "boards%2F..%2Foauth%2Ftoken",
        "boards%5c..%5cuser_account",
        "http://evil.example/v5/user_account",
        "https:%2F%2Fevil.example",
        "@evil.example/v5/user_account",
        "user_account%40evil.example",
        "/evil.example/v5/user_account",
        "boards//user_account",
        ""
      })
  void pathsThatCouldLeaveTheApiBaseAreRefusedWithoutAnyUpstreamCall(String path) {
    RawHttp.Answer answer =
        RawHttp.exchange(
            "GET " + url(path) + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + jwt);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body()).contains("\"code\":\"invalid_request\"");
    assertThat(pinterest.apiRequests()).isEmpty();
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void aRawBackslashInThePathIsRefusedWithoutAnyUpstreamCall() {
    RawHttp.Answer answer =
        RawHttp.exchange(
            "GET "
                + url("boards\\..\\user_account")
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + jwt);

    // Vert.x's HTTP decoder may refuse the request line itself (a bare 400) before any handler;
    // either way nothing reaches the provider.
    assertThat(answer.status()).isEqualTo(400);
    assertThat(pinterest.apiRequests()).isEmpty();
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @ParameterizedTest(name = "Content-Length declared: {0}")
  @ValueSource(booleans = {false, true})
  void aBodyFarLargerThanEveryBufferStreamsThroughWithBoundedMemory(boolean declared)
      throws Exception {
    long total = 96 * MIB;
    long window = 32 * MIB;
    HttpRequest.BodyPublisher chunked =
        HttpRequest.BodyPublishers.ofInputStream(() -> new Windowed(total, window));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + url("boards")))
            .header("Authorization", "Bearer " + jwt)
            .header("Content-Type", "application/octet-stream")
            .timeout(Duration.ofSeconds(120))
            .POST(declared ? HttpRequest.BodyPublishers.fromPublisher(chunked, total) : chunked)
            .build();

    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());

    // The stand-in read it all and then refused it as not JSON; that answer came back.
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    ApiRequest upstream = pinterest.apiRequests().get(0);
    assertThat(upstream.bodyBytes()).isEqualTo(total);
    assertThat(upstream.bodySha256()).isEqualTo(Windowed.expectedSha256(total));
  }

  /**
   * A body generated as it is read, which never runs more than {@code window} bytes ahead of what
   * the stand-in has received: a broker that held the body, instead of passing it on as it arrives,
   * would make it wait in vain, and the upload fails.
   */
  private final class Windowed extends InputStream {
    private final long total;
    private final long window;
    private long produced;

    Windowed(long total, long window) {
      this.total = total;
      this.window = window;
    }

    static byte patternByte(long offset) {
      return (byte) (offset * 31 + (offset >>> 13));
    }

    static String expectedSha256(long total) throws Exception {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[64 * 1024];
      for (long offset = 0; offset < total; offset += chunk.length) {
        int n = (int) Math.min(chunk.length, total - offset);
        for (int i = 0; i < n; i++) {
          chunk[i] = patternByte(offset + i);
        }
        sha.update(chunk, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (produced >= total) {
        return -1;
      }
      long mustHaveArrived = produced - window;
      try {
        if (mustHaveArrived > 0
            && !pinterest.awaitApiBodyBytes(mustHaveArrived, Duration.ofSeconds(30))) {
          throw new IOException(
              "the stand-in received only "
                  + pinterest.apiBodyBytes()
                  + " bytes of "
                  + produced
                  + " sent: the body is held, not streamed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      int n = (int) Math.min(Math.min(length, 64 * 1024), total - produced);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = patternByte(produced + i);
      }
      produced += n;
      return n;
    }
  }

  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeAnyUpstreamCall() {
    RawHttp.Answer answer =
        RawHttp.exchange(
            "POST "
                + url("boards")
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + jwt
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (129 * MIB));

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body()).contains("\"code\":\"payload_too_large\"");
    assertThat(pinterest.apiRequests()).isEmpty();
  }

  @Test
  void aProviderSlowerThanTheReadTimeoutAnswers504() {
    pinterest.slowMode(Duration.ofSeconds(5));
    long started = System.nanoTime();

    given()
        .auth()
        .oauth2(jwt)
        .get(url("user_account"))
        .then()
        .statusCode(504)
        .contentType("application/problem+json")
        .body("code", equalTo("upstream_timeout"));

    // broker.proxy.read-timeout is 1s in tests: the answer must not have waited for the stand-in.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aProviderThatCannotBeReachedAnswers502() {
    pinterest.stop();
    try {
      given()
          .auth()
          .oauth2(jwt)
          .get(url("user_account"))
          .then()
          .statusCode(502)
          .contentType("application/problem+json")
          .body("code", equalTo("upstream_unreachable"));
    } finally {
      pinterest.start();
    }
    assertThat(pinterest.apiRequests()).isEmpty();
  }

  @Test
  void methodsTheProxyDoesNotForwardAre405() {
    RawHttp.Answer answer =
        RawHttp.exchange(
            "OPTIONS "
                + url("user_account")
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + jwt);

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).contains("PATCH");
    assertThat(pinterest.apiRequests()).isEqualTo(List.of());
  }
}
