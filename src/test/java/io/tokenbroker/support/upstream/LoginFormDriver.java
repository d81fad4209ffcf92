package io.tokenbroker.support.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the person at the browser on {@link StandardOAuthServer}'s login page: GETs the
 * authorization URL, reads the form the page serves, fills {@code username} (and the optional
 * {@code claims} JSON) and submits it, and returns where the server redirects the browser — the
 * client's callback URL carrying {@code code} and {@code state} (or {@code error}). It follows no
 * redirect itself, so the callback is never called by the driver.
 */
public final class LoginFormDriver {

  private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile("\\b([a-zA-Z-]+)\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern FIELD =
      Pattern.compile("<(?:input|textarea)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

  private final HttpClient http;

  public LoginFormDriver() {
    this(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** Uses {@code http}, which must not follow redirects. */
  public LoginFormDriver(HttpClient http) {
    this.http = Objects.requireNonNull(http);
  }

  /** Signs in as {@code username} with no extra claims; returns the redirect {@code Location}. */
  public URI login(URI authorizationUrl, String username) throws IOException, InterruptedException {
    return login(authorizationUrl, username, "");
  }

  /**
   * Signs in as {@code username} (the token's {@code sub}) with {@code claimsJson} (a JSON object,
   * or empty) merged into the tokens; returns the redirect {@code Location}.
   *
   * @throws IllegalStateException when the page is not a login form or the submission is not
   *     answered with a redirect
   */
  public URI login(URI authorizationUrl, String username, String claimsJson)
      throws IOException, InterruptedException {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(authorizationUrl).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() == 302 || page.statusCode() == 303) {
      return redirectTarget(page, authorizationUrl); // no login needed (non-interactive server)
    }
    if (page.statusCode() != 200) {
      throw new IllegalStateException(
          "authorization page answered " + page.statusCode() + ": " + page.body());
    }
    Matcher form = FORM.matcher(page.body());
    if (!form.find()) {
      throw new IllegalStateException("no login form on the authorization page");
    }
    Map<String, String> formAttributes = attributes(form.group(1));
    String action = formAttributes.getOrDefault("action", "");
    // An absent or empty action posts back to the page's own URL, query string included.
    URI target = action.isEmpty() ? authorizationUrl : authorizationUrl.resolve(action);
    String method = formAttributes.getOrDefault("method", "get");
    if (!method.equalsIgnoreCase("post")) {
      throw new IllegalStateException("login form method is " + method + ", expected post");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher field = FIELD.matcher(page.body());
    while (field.find()) {
      Map<String, String> attrs = attributes(field.group(1));
      String name = attrs.get("name");
      if (name != null) {
        fields.put(name, attrs.getOrDefault("value", ""));
      }
    }
    if (!fields.containsKey("username")) {
      throw new IllegalStateException("login form has no username field: " + fields.keySet());
    }
    fields.put("username", username);
    if (fields.containsKey("claims")) {
      fields.put("claims", claimsJson);
    }
    HttpResponse<String> submitted =
        http.send(
            HttpRequest.newBuilder(target)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (submitted.statusCode() / 100 != 3) {
      throw new IllegalStateException(
          "login form submission answered " + submitted.statusCode() + ": " + submitted.body());
    }
    return redirectTarget(submitted, target);
  }

  private static URI redirectTarget(HttpResponse<?> response, URI base) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("redirect without Location"));
    return base.resolve(location);
  }

  private static Map<String, String> attributes(String tagBody) {
    Map<String, String> attrs = new LinkedHashMap<>();
    Matcher m = ATTRIBUTE.matcher(tagBody);
    while (m.find()) {
      attrs.put(m.group(1).toLowerCase(java.util.Locale.ROOT), unescape(m.group(2)));
    }
    return attrs;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  private static String encode(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (name, value) -> {
          if (out.length() > 0) {
            out.append('&');
          }
          out.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return out.toString();
  }
}
