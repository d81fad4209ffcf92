package io.tokenbroker.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
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
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standard OAuth client library (Nimbus OAuth 2.0 SDK) discovers the broker, performs the token
 * exchange and reads the broker's errors, with no code of its own for the broker.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenExchangeClientLibraryTest {

  private static final String CONSUMER = "svc-nimbus";
  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static String base() {
    return RestAssured.baseURI + ":" + RestAssured.port;
  }

  /** The token endpoint as the library finds it: from the RFC 8414 metadata. */
  private static URI discoveredTokenEndpoint() throws Exception {
    AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(base()));
    assertThat(metadata.getIssuer().getValue()).isEqualTo(base());
    assertThat(metadata.getGrantTypes()).containsExactly(GrantType.TOKEN_EXCHANGE);
    return metadata.getTokenEndpointURI();
  }

  private static TokenResponse send(TokenRequest request, String bearer) throws Exception {
    HTTPRequest http = request.toHTTPRequest();
    if (bearer != null) {
      http.setAuthorization("Bearer " + bearer);
    }
    return TokenResponse.parse(http.send());
  }

  @Test
  void libraryExchangesTheCallerJwtForTheConnectionTokenThroughEitherWayToAuthenticate()
      throws Exception {
    var linked = LinkedAccounts.linkNew(pinterest, "nimbus-connection", CONSUMER);
    String jwt = CallerTokens.token(CONSUMER, "token-consumer");
    TokenExchangeGrant grant = new TokenExchangeGrant(new TypelessToken(jwt), TokenTypeURI.JWT);
    TokenRequest request =
        new TokenRequest.Builder(discoveredTokenEndpoint(), grant)
            .scope(new Scope("boards:read"))
            .resources(URI.create(Exchange.connection(linked.id())))
            .customParameter("min_ttl_seconds", "120")
            .build();

    for (String bearer : new String[] {null, jwt}) {
      TokenResponse response = send(request, bearer);
      assertThat(response.indicatesSuccess()).as(String.valueOf(bearer != null)).isTrue();
      AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
      assertThat(token.getValue()).isEqualTo(linked.grant().accessToken());
      assertThat(token.getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
      assertThat(token.getType().getValue()).isEqualToIgnoringCase("Bearer");
      assertThat(token.getLifetime()).isGreaterThan(120);
      assertThat(token.getScope().toStringList()).contains("boards:read", "pins:read");
    }
  }

  @Test
  void libraryNamesTheConnectionAsAudienceAndAsksForAnAccessToken() throws Exception {
    var linked = LinkedAccounts.linkNew(pinterest, "nimbus-audience", CONSUMER);
    String jwt = CallerTokens.token(CONSUMER, "token-consumer");
    TokenExchangeGrant grant =
        new TokenExchangeGrant(
            new TypelessToken(jwt),
            TokenTypeURI.JWT,
            null,
            null,
            TokenTypeURI.ACCESS_TOKEN,
            List.of(new Audience(linked.id().toString())));
    AccessTokenResponse response =
        send(new TokenRequest.Builder(discoveredTokenEndpoint(), grant).build(), null)
            .toSuccessResponse();
    assertThat(response.getTokens().getAccessToken().getValue())
        .isEqualTo(linked.grant().accessToken());
  }

  @Test
  void libraryReadsTheBrokersErrorsAsOAuthErrors() throws Exception {
    var linked = LinkedAccounts.linkNew(pinterest, "nimbus-errors", CONSUMER);
    Exchange.status(linked.id(), ConnectionStatus.REAUTHORIZATION_REQUIRED);
    String jwt = CallerTokens.token(CONSUMER, "token-consumer");
    URI endpoint = discoveredTokenEndpoint();
    TokenExchangeGrant grant = new TokenExchangeGrant(new TypelessToken(jwt), TokenTypeURI.JWT);

    TokenErrorResponse dead =
        send(
                new TokenRequest.Builder(endpoint, grant)
                    .resources(URI.create(Exchange.connection(linked.id())))
                    .build(),
                null)
            .toErrorResponse();
    assertThat(dead.getErrorObject().getCode()).isEqualTo("invalid_grant");
    assertThat(dead.getErrorObject().getHTTPStatusCode()).isEqualTo(400);
    assertThat(dead.getErrorObject().getDescription()).isNotBlank();

    TokenErrorResponse unknown =
        send(
                new TokenRequest.Builder(endpoint, grant)
                    .resources(URI.create(Exchange.connection(UUID.randomUUID())))
                    .build(),
                null)
            .toErrorResponse();
    assertThat(unknown.getErrorObject().getCode()).isEqualTo("invalid_target");

    TokenExchangeGrant forged =
        new TokenExchangeGrant(new TypelessToken("e30.e30.x"), TokenTypeURI.JWT);
    TokenErrorResponse unauthenticated =
        send(new TokenRequest.Builder(endpoint, forged).build(), null).toErrorResponse();
    assertThat(unauthenticated.getErrorObject().getCode()).isEqualTo("invalid_client");
    assertThat(unauthenticated.getErrorObject().getHTTPStatusCode()).isEqualTo(401);
  }
}
