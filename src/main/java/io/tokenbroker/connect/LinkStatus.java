package io.tokenbroker.connect;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a connect link stands. Only an active link shows the Continue button. */
public enum LinkStatus {
  ACTIVE,
  USED,
  EXPIRED,
  REVOKED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
