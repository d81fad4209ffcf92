package io.tokenbroker.connect;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hidden form field that the page's POST must carry: {@code <issued epoch seconds>.<HMAC>},
 * keyed by the link's own token and bound to the link's id and the time the page was served. Only
 * someone who read the page can send it, so the POST cannot be forged cross-site even by a party
 * that learnt the link's URL; no broker-wide secret is needed, and every replica can check it.
 */
final class FormToken {

  /** How long a served page's button stays usable. */
  static final Duration LIFETIME = Duration.ofHours(1);

  private FormToken() {}

  static String issue(String linkToken, UUID linkId, Instant now) {
    long issued = now.getEpochSecond();
    return issued + "." + mac(linkToken, linkId, issued);
  }

  static boolean valid(String formToken, String linkToken, UUID linkId, Instant now) {
    if (formToken == null || formToken.length() > 100) {
      return false;
    }
    int dot = formToken.indexOf('.');
    long issued;
    try {
      issued = Long.parseLong(formToken.substring(0, Math.max(dot, 0)));
    } catch (NumberFormatException e) {
      return false;
    }
    Instant at = Instant.ofEpochSecond(issued);
    if (at.isAfter(now.plusSeconds(60)) || at.plus(LIFETIME).isBefore(now)) {
      return false;
    }
    byte[] expected = mac(linkToken, linkId, issued).getBytes(StandardCharsets.US_ASCII);
    byte[] given = formToken.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private static String mac(String linkToken, UUID linkId, long issued) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(linkToken.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      byte[] out =
          mac.doFinal(("connect-form|" + linkId + "|" + issued).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
