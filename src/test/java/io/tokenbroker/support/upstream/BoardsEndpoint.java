package io.tokenbroker.support.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /v5/boards} and {@code /v5/boards/{board_id}} in the v5 spec's shapes: list (GET, {@code
 * page_size} 1-250, answer {@code {"items":[…],"bookmark":null}}), create (POST, JSON with a
 * required {@code name}, 201), read (GET), update (PATCH, 200) and delete (DELETE, 204). Reads need
 * {@code boards:read}, writes {@code boards:write}; HEAD is answered as GET without a body; other
 * methods get 405. Boards belong to the token's account and live until {@link #clear()}.
 *
 * <p>Every request is recorded (body as size and digest) before anything else, so a test sees what
 * arrived even when the answer is an error; a body that is not a small JSON object is refused with
 * 400 code 1 after it was read to its end.
 */
final class BoardsEndpoint {

  static final String PATH = "/v5/boards";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final ApiExchanges api;
  private final Map<String, Map<String, Object>> boards = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(549755885175L);

  BoardsEndpoint(StandInSettings settings, PinterestLedger ledger, ApiExchanges api) {
    this.settings = settings;
    this.ledger = ledger;
    this.api = api;
  }

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    String body = api.readAndRecord(exchange);
    Pacing.pause(settings.slowMode);
    api.stampAnswer(exchange);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String boardId = path.equals(PATH) ? null : path.substring(PATH.length() + 1);
    List<String> allowed =
        boardId == null
            ? List.of("GET", "HEAD", "POST")
            : List.of("GET", "HEAD", "PATCH", "DELETE");
    if (!allowed.contains(method)) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      Exchanges.sendError(exchange, PinterestError.methodNotAllowed());
      return;
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    Optional<PinterestLedger.AccessRecord> token =
        Exchanges.bearerToken(exchange).flatMap(t -> ledger.liveAccessToken(t, settings.now()));
    if (token.isEmpty()) {
      Exchanges.sendError(exchange, PinterestError.authenticationFailed());
      return;
    }
    if (!token.get().scopes.contains(read ? "boards:read" : "boards:write")) {
      Exchanges.sendError(exchange, PinterestError.insufficientScope());
      return;
    }
    String owner = token.get().account == null ? "app" : token.get().account.id();
    if (boardId == null && read) {
      list(exchange, owner, method.equals("HEAD"));
    } else if (boardId == null) {
      create(exchange, owner, body);
    } else {
      Map<String, Object> board = boards.get(boardId);
      if (board == null || !owner.equals(board.get("owner_id"))) {
        Exchanges.sendError(exchange, PinterestError.notFound());
      } else if (read) {
        answer(exchange, 200, view(board), method.equals("HEAD"));
      } else if (method.equals("DELETE")) {
        boards.remove(boardId);
        Exchanges.sendBytes(exchange, 204, null, new byte[0]);
      } else {
        update(exchange, board, body);
      }
    }
  }

  private void list(HttpExchange exchange, String owner, boolean head) throws IOException {
    String pageSize = Exchanges.parseQuery(exchange).getOrDefault("page_size", "25");
    int size;
    try {
      size = Integer.parseInt(pageSize);
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > 250) {
      Exchanges.sendError(exchange, PinterestError.invalidParameters("page_size: 1 to 250."));
      return;
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map<String, Object> board : boards.values()) {
      if (owner.equals(board.get("owner_id")) && items.size() < size) {
        items.add(view(board));
      }
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    page.put("bookmark", null);
    answer(exchange, 200, page, head);
  }

  private void create(HttpExchange exchange, String owner, String body) throws IOException {
    Optional<JsonNode> json = parse(body);
    if (json.isEmpty() || !json.get().path("name").isTextual()) {
      Exchanges.sendError(exchange, PinterestError.invalidParameters("name is required."));
      return;
    }
    Map<String, Object> board = new ConcurrentHashMap<>();
    board.put("id", Long.toString(nextId.getAndIncrement()));
    board.put("owner_id", owner);
    board.put("name", json.get().get("name").asText());
    board.put("description", json.get().path("description").asText(""));
    board.put("privacy", json.get().path("privacy").asText("PUBLIC"));
    boards.put((String) board.get("id"), board);
    answer(exchange, 201, view(board), false);
  }

  private void update(HttpExchange exchange, Map<String, Object> board, String body)
      throws IOException {
    Optional<JsonNode> json = parse(body);
    if (json.isEmpty()) {
      Exchanges.sendError(exchange, PinterestError.invalidParameters("a JSON object is required."));
      return;
    }
    for (String field : List.of("name", "description", "privacy")) {
      if (json.get().path(field).isTextual()) {
        board.put(field, json.get().get(field).asText());
      }
    }
    answer(exchange, 200, view(board), false);
  }

  private static void answer(HttpExchange exchange, int status, Object body, boolean head)
      throws IOException {
    if (head) {
      Exchanges.stampRequestId(exchange);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    } else {
      Exchanges.sendJson(exchange, status, body);
    }
  }

  private static Map<String, Object> view(Map<String, Object> board) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", board.get("id"));
    view.put("name", board.get("name"));
    view.put("description", board.get("description"));
    view.put("owner", Map.of("username", board.get("owner_id")));
    view.put("privacy", board.get("privacy"));
    view.put("pin_count", 0);
    view.put("follower_count", 0);
    return view;
  }

  private static Optional<JsonNode> parse(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  void clear() {
    boards.clear();
  }
}
