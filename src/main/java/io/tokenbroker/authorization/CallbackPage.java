package io.tokenbroker.authorization;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The small HTML page a person sees when the callback has nowhere to send them. */
final class CallbackPage {

  private CallbackPage() {}

  static Response render(int status, String title, String message) {
    String html =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            + escape(title)
            + "</title></head><body><h1>"
            + escape(title)
            + "</h1><p>"
            + escape(message)
            + "</p></body></html>";
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        // frame-ancestors does not fall back to default-src: without it any site could frame the
        // page (clickjacking); X-Frame-Options covers browsers that predate CSP 2.
        .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        .header("X-Frame-Options", "DENY")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .entity(html)
        .build();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
