package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the development token door accepts, and from where. */
class DevTokenRequestTest {

  @Test
  void subjectAndKnownRolesAreEnough() {
    DevTokenRequest request =
        new DevTokenRequest("svc-a", List.of("token-consumer", "broker-admin"), null);

    assertThat(request.problem()).isEmpty();
    assertThat(request.roles()).containsExactlyInAnyOrder("token-consumer", "broker-admin");
    assertThat(request.ttl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void noGroupsMeansACallerWithoutRoles() {
    DevTokenRequest request = new DevTokenRequest("svc-a", null, 60L);

    assertThat(request.problem()).isEmpty();
    assertThat(request.roles()).isEmpty();
    assertThat(request.ttl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void subjectMustBeAListableCallerName() {
    assertThat(new DevTokenRequest(null, List.of(), null).problem())
        .get()
        .asString()
        .startsWith("subject");
    assertThat(new DevTokenRequest("", List.of(), null).problem()).isPresent();
    assertThat(new DevTokenRequest("svc a", List.of(), null).problem()).isPresent();
    assertThat(new DevTokenRequest("svc,a", List.of(), null).problem()).isPresent();
    assertThat(new DevTokenRequest("x".repeat(256), List.of(), null).problem()).isPresent();
  }

  @Test
  void unknownRolesAreRefused() {
    assertThat(new DevTokenRequest("svc-a", List.of("root"), null).problem())
        .get()
        .asString()
        .startsWith("groups");
  }

  @Test
  void lifetimeIsBetweenOneSecondAndOneDay() {
    assertThat(new DevTokenRequest("svc-a", List.of(), 0L).problem()).isPresent();
    assertThat(new DevTokenRequest("svc-a", List.of(), 86_401L).problem()).isPresent();
    assertThat(new DevTokenRequest("svc-a", List.of(), 86_400L).problem()).isEmpty();
    assertThat(new DevTokenRequest("svc-a", List.of(), 1L).problem()).isEmpty();
  }

  @Test
  void onlyLoopbackPeersMayMintTokens() {
    assertThat(DevCallerTokenRoute.isLoopback(SocketAddress.inetSocketAddress(5000, "127.0.0.1")))
        .isTrue();
    assertThat(DevCallerTokenRoute.isLoopback(SocketAddress.inetSocketAddress(5000, "::1")))
        .isTrue();
    assertThat(DevCallerTokenRoute.isLoopback(SocketAddress.inetSocketAddress(5000, "10.0.0.7")))
        .isFalse();
    assertThat(
            DevCallerTokenRoute.isLoopback(SocketAddress.inetSocketAddress(5000, "192.168.1.20")))
        .isFalse();
    assertThat(DevCallerTokenRoute.isLoopback(SocketAddress.domainSocketAddress("/tmp/s")))
        .isFalse();
    assertThat(DevCallerTokenRoute.isLoopback(null)).isFalse();
  }
}
