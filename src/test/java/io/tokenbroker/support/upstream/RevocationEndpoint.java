package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v5/oauth/token/revoke} (spec 5.16+): Basic client auth, form {@code token} and
 * optional {@code token_type_hint}; 200 with no body, and the token stops working at once. An
 * unknown token is also answered 200, as RFC 7009 §2.2 prescribes.
 */
final class RevocationEndpoint {

  private static final Set<String> HINTS = Set.of("access_token", "refresh_token");

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final StandInJournal journal;

  RevocationEndpoint(StandInSettings settings, PinterestLedger ledger, StandInJournal journal) {
    this.settings = settings;
    this.ledger = ledger;
    this.journal = journal;
  }

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    journal.revocationCalled();
    Pacing.pause(settings.slowMode);
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      Exchanges.sendError(exchange, PinterestError.methodNotAllowed());
      return;
    }
    String body = Exchanges.readBody(exchange);
    if (!Exchanges.isFormEncoded(exchange)) {
      Exchanges.sendError(
          exchange,
          PinterestError.invalidParameters(
              "Content-Type must be application/x-www-form-urlencoded"));
      return;
    }
    Map<String, String> form;
    try {
      form = Exchanges.parseUrlEncoded(body);
    } catch (Exchanges.DuplicateParameterException e) {
      Exchanges.sendError(exchange, PinterestError.invalidParameters(e.getMessage()));
      return;
    }
    if (!Exchanges.basicCredentials(exchange).map(settings::clientAuthenticates).orElse(false)) {
      Exchanges.sendError(exchange, PinterestError.authenticationFailed());
      return;
    }
    String token = form.get("token");
    String hint = form.get("token_type_hint");
    if (token == null || token.isBlank() || (hint != null && !HINTS.contains(hint))) {
      Exchanges.sendError(
          exchange, PinterestError.invalidParameters("token (and a known hint) required."));
      return;
    }
    if (settings.refuseRevocation) {
      Exchanges.sendError(exchange, PinterestError.notPermitted());
      return;
    }
    ledger.revoke(token);
    Exchanges.sendBytes(exchange, 200, null, new byte[0]);
  }
}
