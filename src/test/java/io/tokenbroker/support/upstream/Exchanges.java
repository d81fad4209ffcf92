package io.tokenbroker.support.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The HTTP chores shared by the stand-in's endpoints: parameters, client auth, JSON answers. */
final class Exchanges {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {}

  /** Thrown when a parameter appears twice, which RFC 6749 §3.1/§3.2 forbids. */
  static final class DuplicateParameterException extends RuntimeException {
    DuplicateParameterException(String name) {
      super("parameter '" + name + "' appears more than once");
    }
  }

  static Map<String, String> parseQuery(HttpExchange exchange) {
    return parseUrlEncoded(exchange.getRequestURI().getRawQuery());
  }

  static Map<String, String> parseUrlEncoded(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (params.putIfAbsent(name, value) != null) {
        throw new DuplicateParameterException(name);
      }
    }
    return params;
  }

  static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static boolean isFormEncoded(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null) {
      return false;
    }
    String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/x-www-form-urlencoded");
  }

  /** The (client id, secret) pair of an HTTP Basic header, per RFC 6749 §2.3.1 encoding. */
  static Optional<String[]> basicCredentials(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new String[] {decode(decoded.substring(0, colon)), decode(decoded.substring(colon + 1))});
  }

  static Optional<String> bearerToken(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(header.substring(7).trim());
  }

  static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    sendBytes(exchange, status, "application/json", toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  static void sendError(HttpExchange exchange, PinterestError error) throws IOException {
    sendJson(exchange, error.status(), error.body());
  }

  static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    stampRequestId(exchange);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** Pinterest tags every API answer with a request id; clients log it when reporting errors. */
  static void stampRequestId(HttpExchange exchange) {
    exchange
        .getResponseHeaders()
        .set("x-pinterest-rid", UUID.randomUUID().toString().replace("-", "").substring(0, 16));
  }

  static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
