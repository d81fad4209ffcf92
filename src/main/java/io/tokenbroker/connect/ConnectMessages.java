package io.tokenbroker.connect;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The connect page's text, used in templates as {@code {connect:…}}. The English text lives in
 * {@code messages/connect_en.properties}; another language is a file of its own (see there).
 */
@MessageBundle(value = "connect", locale = "en")
public interface ConnectMessages {

  @Message
  String lang();

  @Message
  String support(String contact);

  @Message
  String offer_heading(String provider);

  @Message
  String offer_intro(String requestedBy, String provider, String product);

  @Message
  String offer_label(String label);

  @Message
  String note_heading(String requestedBy);

  @Message
  String scopes_heading(String product);

  @Message
  String continue_to(String provider);

  @Message
  String offer_fine(String provider, String expiresAt);

  @Message
  String linked_heading();

  @Message
  String linked_account(String provider);

  @Message
  String linked_done(String product);

  /** {@code reason}: used, expired, revoked, foreign_origin, stale_form, or unknown. */
  @Message
  String closed_heading(String reason);

  @Message
  String closed_reason(String reason);

  @Message
  String closed_next(String reason);

  /** A scope in plain words (Pinterest's scopes; others by name). */
  @Message
  String scope(String scope);
}
