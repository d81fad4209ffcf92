package io.tokenbroker.connect;

import static io.restassured.RestAssured.given;
import static io.tokenbroker.connect.ConnectLinks.audit;
import static io.tokenbroker.connect.ConnectLinks.createPinterest;
import static io.tokenbroker.connect.ConnectLinks.formToken;
import static io.tokenbroker.connect.ConnectLinks.page;
import static io.tokenbroker.connect.ConnectLinks.proceed;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.Browser;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connect link from the person's side, over real HTTP against the Pinterest stand-in: the page,
 * Continue (303 to Pinterest with a fresh state), the broker's callback ending on "Linked", and the
 * link refusing everything once used, expired or revoked.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
@WithTestResource(ConnectBaseUrlResource.class)
class ConnectLinkFlowTest {

  private static final String ORIGIN = ConnectBaseUrlResource.baseUrl();

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  /** Continue on the page, consent at the stand-in; returns the callback URL it sends back. */
  private String continueAndConsent(String url, String username) {
    String html = page(url).then().statusCode(200).extract().asString();
    Response continued = proceed(url, formToken(html), ORIGIN);
    assertThat(continued.statusCode()).isEqualTo(303);
    pinterest.signInAs(username);
    HttpResponse<String> atPinterest = Browser.get(continued.header("Location"));
    assertThat(atPinterest.statusCode()).isEqualTo(302);
    return Browser.location(atPinterest);
  }

  @Test
  void pageShowsProviderScopesInPlainWordsNoteAndWhoAskedWithOneButton() {
    ConnectLinks.Created link = createPinterest("Hi, please link the <b>shop</b> account");
    Response page = page(link.url());
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.asString();
    assertThat(html)
        .contains("<html lang=\"en\">")
        .contains("name=\"viewport\"")
        .contains("<h1>Link your Pinterest account</h1>")
        .contains("admin-tool asked you to link your Pinterest account to Token Broker.")
        .contains("See your public boards, including group boards you joined")
        .contains("See your public Pins")
        .contains("See your account details and your followers")
        .contains("Hi, please link the &lt;b&gt;shop&lt;/b&gt; account")
        .contains("shop account")
        .doesNotContain("<script");
    assertThat(html.split("<button", -1)).hasSize(2);
    assertThat(html).contains(">Continue to Pinterest</button>");
    assertThat(page.header("Content-Security-Policy"))
        .startsWith("default-src 'none'; style-src 'sha256-")
        .contains("form-action 'self' http://127.0.0.1:" + pinterest.port())
        .contains("frame-ancestors 'none'");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(audit(link.id())).contains("connect_link.created:ok", "connect_link.opened:active");
  }

  @Test
  void continueAnswers303ToPinterestWithAFreshStateEachTime() {
    ConnectLinks.Created link = createPinterest(null);
    String token = formToken(page(link.url()).asString());
    Response first = proceed(link.url(), token, ORIGIN);
    Response second = proceed(link.url(), token, ORIGIN);
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(second.statusCode()).isEqualTo(303);
    String location = first.header("Location");
    assertThat(location).startsWith(pinterest.authorizationEndpoint());
    assertThat(Browser.query(location))
        .containsEntry("scope", "boards:read,pins:read,user_accounts:read")
        .containsKey("state");
    assertThat(Browser.query(location).get("state"))
        .isNotEqualTo(Browser.query(second.header("Location")).get("state"));
    assertThat(first.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(first.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void callbackEndsOnLinkedPageStoresTheConnectionAndUsesUpTheLink() {
    ConnectLinks.Created link = createPinterest(null);
    String callback = continueAndConsent(link.url(), "linda-shop");

    Response linked = given().redirects().follow(false).get(callback);
    assertThat(linked.statusCode()).isEqualTo(200);
    assertThat(linked.asString())
        .contains("<h1>Linked</h1>")
        .contains("This Pinterest account is now linked:")
        .contains("linda-shop")
        .doesNotContain("<button");
    assertThat(linked.header("Content-Security-Policy")).contains("form-action 'none'");

    ConnectLink used = ConnectLinks.load(link.id());
    assertThat(used.usedAt).isNotNull();
    assertThat(used.accountName).isEqualTo("linda-shop");
    Connection connection =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Connection c = Connection.findById(used.connectionId);
                  c.allowedCallers.size();
                  return c;
                });
    assertThat(connection.accountUsername).isEqualTo("linda-shop");
    assertThat(connection.allowedCallers).containsExactly("svc-shop");
    assertThat(connection.label).isEqualTo("shop account");
    assertThat(connection.createdBy).isEqualTo("admin-tool");
    assertThat(audit(link.id())).contains("connect_link.continued:ok", "connect_link.used:ok");

    Response reused = page(link.url());
    assertThat(reused.statusCode()).isEqualTo(410);
    assertThat(reused.asString()).contains("This link was already used").doesNotContain("<button");
    assertThat(proceed(link.url(), "0.x", ORIGIN).statusCode()).isEqualTo(410);
  }

  @Test
  void secondAuthorizationFromAUsedLinkStoresNothing() {
    ConnectLinks.Created link = createPinterest(null);
    String html = page(link.url()).asString();
    String firstAuthorize = proceed(link.url(), formToken(html), ORIGIN).header("Location");
    String secondAuthorize = proceed(link.url(), formToken(html), ORIGIN).header("Location");
    pinterest.signInAs("first-owner");
    String firstCallback = Browser.location(Browser.get(firstAuthorize));
    pinterest.signInAs("second-owner");
    String secondCallback = Browser.location(Browser.get(secondAuthorize));

    assertThat(given().redirects().follow(false).get(firstCallback).statusCode()).isEqualTo(200);
    Response second = given().redirects().follow(false).get(secondCallback);
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(second.asString()).contains("already used");
    long stored =
        QuarkusTransaction.requiringNew()
            .call(() -> Connection.count("accountUsername", "second-owner"));
    assertThat(stored).isZero();
  }

  @Test
  void postFromAForeignOriginOrWithoutOneIsRefusedAndStartsNothing() {
    ConnectLinks.Created link = createPinterest(null);
    String token = formToken(page(link.url()).asString());

    Response foreign = proceed(link.url(), token, "https://evil.example");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.header("Location")).isNull();
    assertThat(foreign.asString()).contains("This request was refused").doesNotContain("<button");
    assertThat(proceed(link.url(), token, null).statusCode()).isEqualTo(403);
    // Origin: null (the page's no-referrer policy) counts only with the browser's same-origin mark.
    assertThat(
            given()
                .redirects()
                .follow(false)
                .header("Origin", "null")
                .header("Sec-Fetch-Site", "cross-site")
                .formParam("form_token", token)
                .post(ConnectLinks.path(link.url()))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            given()
                .redirects()
                .follow(false)
                .header("Origin", "null")
                .header("Sec-Fetch-Site", "same-origin")
                .formParam("form_token", token)
                .post(ConnectLinks.path(link.url()))
                .statusCode())
        .isEqualTo(303);
    assertThat(audit(link.id())).contains("connect_link.refused:foreign_origin");
  }

  @Test
  void postWithAFormTokenOfAnotherLinkOrNoneIsRefused() {
    ConnectLinks.Created link = createPinterest(null);
    ConnectLinks.Created other = createPinterest(null);
    String othersToken = formToken(page(other.url()).asString());
    assertThat(proceed(link.url(), othersToken, ORIGIN).statusCode()).isEqualTo(403);
    assertThat(proceed(link.url(), "", ORIGIN).statusCode()).isEqualTo(403);
    assertThat(audit(link.id())).contains("connect_link.refused:stale_form");
  }

  @Test
  void expiredLinkAnswers410WithoutAButton() {
    ConnectLinks.Created link = createPinterest(null);
    String token = formToken(page(link.url()).asString());
    ConnectLinks.expire(link.id());
    Response expired = page(link.url());
    assertThat(expired.statusCode()).isEqualTo(410);
    assertThat(expired.asString()).contains("This link has expired").doesNotContain("<button");
    assertThat(proceed(link.url(), token, ORIGIN).statusCode()).isEqualTo(410);
    assertThat(audit(link.id())).contains("connect_link.refused:expired");
  }

  @Test
  void revokedLinkAnswers410AndAnAuthorizationStartedBeforeCannotFinish() {
    ConnectLinks.Created link = createPinterest(null);
    String callback = continueAndConsent(link.url(), "late-owner");
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connect-links/" + link.id())
        .then()
        .statusCode(204);

    Response revoked = page(link.url());
    assertThat(revoked.statusCode()).isEqualTo(410);
    assertThat(revoked.asString()).contains("This link was withdrawn").doesNotContain("<button");
    assertThat(given().redirects().follow(false).get(callback).statusCode()).isEqualTo(400);
    long stored =
        QuarkusTransaction.requiringNew()
            .call(() -> Connection.count("accountUsername", "late-owner"));
    assertThat(stored).isZero();
  }

  @Test
  void unknownOrMalformedTokenAnswers404WithoutAButton() {
    String unknown = ConnectBaseUrlResource.baseUrl() + "/connect/" + "A".repeat(43);
    Response page = page(unknown);
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.asString()).contains("This link is not valid").doesNotContain("<button");
    assertThat(page("/connect/short").statusCode()).isEqualTo(404);
    assertThat(proceed(unknown, "1.x", ORIGIN).statusCode()).isEqualTo(404);
  }
}
