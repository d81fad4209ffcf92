package io.tokenbroker.logging;

/**
 * Stands in for a logged exception whose message (or a cause's) carried a credential: same class
 * name in the text, same stack trace, masked message. Exceptions with clean messages are logged as
 * they are.
 */
final class ScrubbedThrowable extends RuntimeException {

  private static final int MAX_DEPTH = 20;

  private ScrubbedThrowable(String message, Throwable cause, StackTraceElement[] trace) {
    super(message, cause, false, true);
    setStackTrace(trace);
  }

  static Throwable of(Throwable thrown) {
    return needsScrubbing(thrown, 0) ? copy(thrown, 0) : thrown;
  }

  private static boolean needsScrubbing(Throwable t, int depth) {
    if (t == null || depth > MAX_DEPTH) {
      return false;
    }
    String message = t.getMessage();
    return (message != null && !message.equals(SecretScrubber.scrub(message)))
        || needsScrubbing(t.getCause(), depth + 1);
  }

  private static Throwable copy(Throwable t, int depth) {
    if (t == null || depth > MAX_DEPTH) {
      return null;
    }
    String message = t.getMessage();
    String text =
        t.getClass().getName() + (message == null ? "" : ": " + SecretScrubber.scrub(message));
    return new ScrubbedThrowable(text, copy(t.getCause(), depth + 1), t.getStackTrace());
  }

  @Override
  public String toString() {
    // The message already starts with the original class name.
    return getMessage();
  }
}
