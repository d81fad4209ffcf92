package io.tokenbroker.hardening;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code return_to} values that must not pass an allow-list of {@code https://app.example.test}:
 * each combines a way of naming another origin (or of smuggling one past a parser) with a path
 * shape. Deterministic from the seed.
 */
final class OpenRedirects {

  static final String ALLOWED = "https://app.example.test";

  private static final List<String> ORIGINS =
      List.of(
          "https://evil.test",
          "http://app.example.test",
          "https://app.example.test.evil.test",
          "https://app.example.test:444",
          "https://app.example.test:80",
          "https://evilapp.example.test",
          "https://sub.app.example.test",
          "https://app.example.tes",
          "https://app-example.test",
          "https://app.example.test@evil.test",
          "https://evil.test@app.example.test",
          "https://app.example.test%40evil.test",
          "https://app.example.test%2eevil.test",
          "https://app.example.test%2F@evil.test",
          "https://app.example.test\\@evil.test",
          "https://app.example.test\\evil.test",
          "https:/app.example.test",
          "https:app.example.test",
          "//evil.test",
          "///evil.test",
          "/\\evil.test",
          "\\\\evil.test",
          "javascript:alert(1)//app.example.test",
          "data:text/html,app.example.test",
          "ftp://app.example.test",
          "file:///etc/passwd",
          "HTTPS://EVIL.TEST",
          "https://app.example.test.",
          "https://[::1]",
          "https://127.0.0.1",
          "https://0x7f000001",
          "https://app.ex\u0430mple.test",
          "https://app.example.test\u3002evil.test",
          "https://app.example.test%00.evil.test",
          "https://app.example.test\t.evil.test",
          "https://app.example.test\r\nLocation: https://evil.test",
          " https://evil.test",
          "https://evil.test#https://app.example.test",
          "https://evil.test?https://app.example.test",
          "https://evil.test/https://app.example.test",
          "");

  private static final List<String> PATHS =
      List.of(
          "",
          "/",
          "/done",
          "/%2e%2e/evil",
          "/..%2fevil",
          "/../evil",
          "/./done",
          "//evil.test/x",
          "/done#frag",
          "/%5cevil.test",
          "/done?next=https://evil.test");

  private OpenRedirects() {}

  /** Every origin with every path, plus allowed-origin values broken by a parser trick. */
  static Set<String> variants(long seed) {
    Set<String> values = new LinkedHashSet<>();
    for (String origin : ORIGINS) {
      for (String path : PATHS) {
        String candidate = origin + path;
        if (!acceptable(candidate)) {
          values.add(candidate);
        }
      }
    }
    Random random = new Random(seed);
    String[] injections = {
      "%2f", "%5c", "%2e", "%40", "%00", "%0a", "%0d", "%09", "\\", "\u0000", "\n", " ", "#", "@"
    };
    for (int i = 0; i < 60; i++) {
      StringBuilder value = new StringBuilder(ALLOWED + "/a");
      int at = 8 + random.nextInt(value.length() - 8);
      value.insert(at, injections[random.nextInt(injections.length)]);
      if (!acceptable(value.toString())) {
        values.add(value.toString());
      }
    }
    values.add(ALLOWED + "/" + "x".repeat(2100));
    return values;
  }

  /**
   * The few combinations that are in fact on the allow-list (same origin, harmless path); they are
   * not attacks and are left out of the hostile set.
   */
  private static boolean acceptable(String value) {
    return value.equals(ALLOWED)
        || value.equals(ALLOWED + "/")
        || value.equals(ALLOWED + "/done")
        || value.equals(ALLOWED + "/done?next=https://evil.test")
        || value.equals("HTTPS://APP.EXAMPLE.TEST");
  }
}
