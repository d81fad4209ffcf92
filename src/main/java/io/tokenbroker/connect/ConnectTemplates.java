package io.tokenbroker.connect;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The connect pages, {@code templates/connect/*.html}, checked against these parameters at build.
 */
@CheckedTemplate(basePath = "connect")
final class ConnectTemplates {

  private ConnectTemplates() {}

  static native TemplateInstance offer(PageChrome chrome, Offer offer);

  static native TemplateInstance linked(PageChrome chrome, String provider, String account);

  static native TemplateInstance closed(PageChrome chrome, String reason);

  /** What every page shows around its content. */
  record PageChrome(String productName, String support, String style) {}

  /** The page with the Continue button. */
  record Offer(
      String provider,
      String requestedBy,
      String label,
      String note,
      java.util.List<String> scopes,
      String expiresAt,
      String formToken) {}
}
