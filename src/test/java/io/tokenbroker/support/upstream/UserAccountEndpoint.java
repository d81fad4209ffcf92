package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v5/user_account}: the account behind a bearer token. The token must be live and, as
 * the v5 spec declares for this operation, carry {@code user_accounts:read}.
 */
final class UserAccountEndpoint {

  static final String REQUIRED_SCOPE = "user_accounts:read";
  private static final String APP_OWNER = "stand-in-app-owner";

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final StandInJournal journal;
  private final ApiExchanges api;

  UserAccountEndpoint(
      StandInSettings settings, PinterestLedger ledger, StandInJournal journal, ApiExchanges api) {
    this.settings = settings;
    this.ledger = ledger;
    this.journal = journal;
    this.api = api;
  }

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    journal.accountCalled();
    api.readAndRecord(exchange);
    Pacing.pause(settings.slowMode);
    api.stampAnswer(exchange);
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      Exchanges.sendError(exchange, PinterestError.methodNotAllowed());
      return;
    }
    if (settings.rateLimitedAccountCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      Exchanges.sendError(exchange, PinterestError.rateLimited());
      return;
    }
    Optional<PinterestLedger.AccessRecord> token =
        Exchanges.bearerToken(exchange).flatMap(t -> ledger.liveAccessToken(t, settings.now()));
    if (token.isEmpty()) {
      Exchanges.sendError(exchange, PinterestError.authenticationFailed());
      return;
    }
    if (!token.get().scopes.contains(REQUIRED_SCOPE)) {
      Exchanges.sendError(exchange, PinterestError.insufficientScope());
      return;
    }
    // An app (client-credentials) token speaks for the app owner's account.
    PinterestAccount account =
        token.get().account != null ? token.get().account : ledger.account(APP_OWNER);
    Exchanges.sendJson(exchange, 200, describe(account));
  }

  private static Map<String, Object> describe(PinterestAccount account) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account_type", account.accountType());
    body.put("id", account.id());
    body.put("profile_image", "https://i.pinimg.com/600x600_R/stand-in.jpg");
    body.put("website_url", "https://example.com");
    body.put("username", account.username());
    body.put("about", "");
    body.put("business_name", account.username());
    body.put("board_count", 0);
    body.put("pin_count", 0);
    body.put("follower_count", 0);
    body.put("following_count", 0);
    body.put("monthly_views", 0);
    return body;
  }
}
