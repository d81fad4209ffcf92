package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /oauth/}: Pinterest's consent page, reduced to its decision. The signed-in account
 * consents at once (or refuses, when the test says so) and the browser is sent back with a code.
 *
 * <p>Parameter problems follow RFC 6749 §4.1.2.1, since Pinterest's own answers are undocumented:
 * an unknown client or unregistered redirect URI gets an error page and no redirect (the redirect
 * target cannot be trusted); anything else goes back to the redirect URI as {@code error=...}.
 */
final class AuthorizeEndpoint {

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final StandInJournal journal;

  AuthorizeEndpoint(StandInSettings settings, PinterestLedger ledger, StandInJournal journal) {
    this.settings = settings;
    this.ledger = ledger;
    this.journal = journal;
  }

  void handle(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      page(exchange, 405, "Method not allowed");
      return;
    }
    Map<String, String> params;
    try {
      params = Exchanges.parseQuery(exchange);
    } catch (Exchanges.DuplicateParameterException e) {
      page(exchange, 400, e.getMessage());
      return;
    }
    boolean pkce =
        params.containsKey("code_challenge") || params.containsKey("code_challenge_method");
    String refusal = refusalPageReason(params);
    if (refusal != null) {
      journal.recordAuthorize(new AuthorizeRequest(params, pkce, refusal));
      page(exchange, 400, refusal);
      return;
    }
    String redirectUri = params.get("redirect_uri");
    String state = params.get("state");
    String error = redirectableError(params);
    if (error != null) {
      journal.recordAuthorize(new AuthorizeRequest(params, pkce, error));
      Exchanges.redirect(exchange, withQuery(redirectUri, "error", error, state));
      return;
    }
    if (settings.denyConsent) {
      journal.recordAuthorize(new AuthorizeRequest(params, pkce, "denied"));
      Exchanges.redirect(exchange, withQuery(redirectUri, "error", "access_denied", state));
      return;
    }
    Set<String> scopes = new LinkedHashSet<>(PinterestScopes.parseRequested(params.get("scope")));
    String code =
        ledger.issueCode(
            ledger.account(settings.signedInUsername),
            redirectUri,
            scopes,
            settings.now().plus(settings.codeLifetime));
    journal.recordAuthorize(new AuthorizeRequest(params, pkce, "consented"));
    Exchanges.redirect(exchange, withQuery(redirectUri, "code", code, state));
  }

  private String refusalPageReason(Map<String, String> params) {
    if (!settings.clientId.equals(params.get("client_id"))) {
      return "unknown client_id";
    }
    String redirectUri = params.get("redirect_uri");
    if (redirectUri == null || !settings.redirectUriRegistered(redirectUri)) {
      return "redirect_uri is not registered for this app";
    }
    return null;
  }

  private String redirectableError(Map<String, String> params) {
    if (!"code".equals(params.get("response_type"))) {
      return "unsupported_response_type";
    }
    String scope = params.get("scope");
    if (scope == null || scope.isEmpty()) {
      return "invalid_scope";
    }
    List<String> requested = PinterestScopes.parseRequested(scope);
    if (!PinterestScopes.unknown(requested).isEmpty()) {
      return "invalid_scope";
    }
    return null;
  }

  private static String withQuery(String redirectUri, String name, String value, String state) {
    StringBuilder location = new StringBuilder(redirectUri);
    location.append(redirectUri.contains("?") ? '&' : '?');
    location.append(name).append('=').append(encode(value));
    if (state != null) {
      location.append("&state=").append(encode(state));
    }
    return location.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void page(HttpExchange exchange, int status, String reason) throws IOException {
    String html =
        "<!doctype html><html><body><h1>Pinterest stand-in</h1><p>"
            + reason.replace("<", "&lt;")
            + "</p></body></html>";
    Exchanges.sendBytes(
        exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }
}
