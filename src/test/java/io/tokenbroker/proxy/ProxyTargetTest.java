package io.tokenbroker.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyTargetTest {

  private static final URI BASE = URI.create("https://api.pinterest.com/v5/");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../oauth/token",
        "boards/../../oauth/token",
        ".",
        "./user_account",
        "%2e%2e/x",
        ".%2E/x",
        "%2E./x",
        "boards%2f..%2fuser_account",
        "boards%2F..",
        "boards%5c..%5cuser_account",
        "boards\\..\\user_account",
        "http://evil.example/x",
        "https:%2F%2Fevil.example",
        "@evil.example/x",
        "boards/%40evil",
        "/evil.example/x",
        "boards//x",
        "boards/%zz",
        "boards/%4",
        "boards/%00",
        "boards/%0a",
        "boards?x",
        "boards#x",
        "boards x",
        ""
      })
  void escapingOrAmbiguousPathsAreRefusedAsInvalidRequests(String raw) {
    assertThatThrownBy(() -> ProxyTarget.checkPath(raw))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.INVALID_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user_account",
        "boards",
        "boards/",
        "boards/549755885175/pins",
        "pins/1%20a",
        "ad_accounts/1/campaigns",
        "boards/...",
        "a..b"
      })
  void ordinaryPathsStayUnderTheBaseUrl(String raw) {
    String path = ProxyTarget.checkPath(raw);

    URI target = ProxyTarget.resolve(BASE, path, "page_size=25&bookmark=a%2Fb");

    assertThat(target.toString()).startsWith("https://api.pinterest.com/v5/" + raw);
    assertThat(target.getRawQuery()).isEqualTo("page_size=25&bookmark=a%2Fb");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "x=<script>", "a=%zz", "a=\"q\""})
  void queriesWithCharactersThatAreNotForwardedAreRefused(String query) {
    assertThatThrownBy(() -> ProxyTarget.resolve(BASE, "/boards", query))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.INVALID_REQUEST));
  }
}
