package io.tokenbroker.connect;

import io.quarkus.qute.TemplateInstance;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Renders the connect pages and gives them their headers: a Content-Security-Policy that lets the
 * page load nothing but its own inline style (by hash, so no inline script could run), post its
 * form to itself and be sent on to the provider, and be framed by no one.
 */
@ApplicationScoped
class ConnectPages {

  /** The languages the page is written in; the first is the default (see connect_en.properties). */
  static final List<Locale> LOCALES = List.of(Locale.ENGLISH);

  private static final DateTimeFormatter EXPIRY =
      DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final ConnectConfig config;
  private final ProviderCatalog providers;
  private final String style;
  private final String styleSource;

  ConnectPages(ConnectConfig config, ProviderCatalog providers) {
    this.config = config;
    this.providers = providers;
    this.style = readStyle();
    this.styleSource = "'sha256-" + sha256(style) + "'";
  }

  Response offer(ConnectLink link, String formToken, String acceptLanguage) {
    List<String> scopes = new ArrayList<>(Scopes.parse(link.scopes));
    ConnectTemplates.Offer offer =
        new ConnectTemplates.Offer(
            providerName(link.provider),
            link.createdBy,
            link.label,
            link.note,
            scopes,
            EXPIRY.format(link.expiresAt),
            formToken);
    String formAction =
        "'self'"
            + providers
                .find(link.provider)
                .flatMap(p -> p.authorizationEndpoint())
                .map(ConnectPages::origin)
                .map(o -> " " + o)
                .orElse("");
    return page(200, ConnectTemplates.offer(chrome(), offer), acceptLanguage, formAction);
  }

  Response linked(String provider, String account, String acceptLanguage) {
    return page(
        200,
        ConnectTemplates.linked(chrome(), providerName(provider), account),
        acceptLanguage,
        "'none'");
  }

  /** A page without a button: 410 for links that were live once, 404 or 403 otherwise. */
  Response closed(int status, String reason, String acceptLanguage) {
    return page(status, ConnectTemplates.closed(chrome(), reason), acceptLanguage, "'none'");
  }

  String providerName(String id) {
    String configured = config.providerNames().get(id);
    if (configured != null) {
      return configured;
    }
    return id.isEmpty() ? id : id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
  }

  private ConnectTemplates.PageChrome chrome() {
    return new ConnectTemplates.PageChrome(
        config.productName(), config.supportContact().orElse(null), style);
  }

  private Response page(
      int status, TemplateInstance template, String acceptLanguage, String formAction) {
    String html = template.setLocale(locale(acceptLanguage)).render();
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src "
                + styleSource
                + "; form-action "
                + formAction
                + "; frame-ancestors 'none'; base-uri 'none'")
        // For browsers that predate CSP 2's frame-ancestors.
        .header("X-Frame-Options", "DENY")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .entity(html)
        .build();
  }

  static Locale locale(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return LOCALES.get(0);
    }
    try {
      Locale found = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), LOCALES);
      return found == null ? LOCALES.get(0) : found;
    } catch (IllegalArgumentException e) {
      return LOCALES.get(0);
    }
  }

  /** Where the browser is sent after the POST: form-action must allow it, as Chromium checks. */
  private static String origin(URI endpoint) {
    return endpoint.getScheme()
        + "://"
        + endpoint.getHost()
        + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
  }

  private static String readStyle() {
    try (InputStream in =
        ConnectPages.class.getClassLoader().getResourceAsStream("connect/page.css")) {
      if (in == null) {
        throw new IllegalStateException("connect/page.css is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
