package io.tokenbroker.caller;

import java.util.regex.Pattern;

/**
 * What a caller name looks like: the grammar of {@code allowed_callers} entries, and of the name
 * claim of a caller token ({@link CallerIdentityAugmentor}). One grammar for both, so that a token
 * whose name no administrator could list is refused, and no name can forge an audit or log line.
 */
public final class CallerNames {

  /** Printable ASCII without spaces, commas or control characters, 1 to 255 characters. */
  public static final String PATTERN = "^[\\x21-\\x2B\\x2D-\\x7E]{1,255}$";

  private static final Pattern COMPILED = Pattern.compile(PATTERN);

  private CallerNames() {}

  /** Whether {@code name} is a caller name an administrator could list. */
  public static boolean isValid(String name) {
    return name != null && COMPILED.matcher(name).matches();
  }
}
