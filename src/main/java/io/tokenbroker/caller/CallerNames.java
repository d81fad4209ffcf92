package io.tokenbroker.connection;

/** What a caller name (a JWT subject) may look like when an administrator lists it. */
public final class CallerNames {

  /** Printable ASCII without spaces, commas or control characters, 1 to 255 characters. */
  public static final String PATTERN = "^[\\x21-\\x2B\\x2D-\\x7E]{1,255}$";

  private CallerNames() {}
}
