package io.tokenbroker.logging;

import io.quarkus.logging.LoggingFilter;
import java.text.MessageFormat;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Masks credentials in every log line before a handler writes it: the broker's own code never logs
 * one, but exception messages and libraries might. Configured on every log handler as {@code
 * quarkus.log.<handler>.filter=secret-scrubber}. The record is rewritten, not dropped.
 *
 * <p>Masked: bearer and basic credentials, the values of {@code access_token}, {@code
 * refresh_token}, {@code id_token}, {@code client_secret}, {@code code_verifier}, {@code code},
 * {@code password} and {@code secret} in query, form, JSON or {@code key: value} shapes, Pinterest
 * tokens ({@code pina.}, {@code pinr.}, {@code pinc.}), JWTs, Vault tokens and passwords in URLs.
 */
@LoggingFilter(name = "secret-scrubber")
public final class SecretScrubber implements Filter {

  static final String MASK = "***";

  private static final String TOKEN_CHARS = "[A-Za-z0-9._~+/=-]";

  /** An HTTP credential: long, or with a digit or symbol, so "basic authentication" survives. */
  private static final Pattern SCHEME =
      Pattern.compile(
          "(?i)\\b(bearer|basic)(\\s+)(?:(?="
              + TOKEN_CHARS
              + "*[0-9._~+/=-])"
              + TOKEN_CHARS
              + "{8,}|"
              + TOKEN_CHARS
              + "{20,})");

  private static final Pattern NAMED =
      Pattern.compile(
          "(?i)([\"']?)\\b(access_token|refresh_token|id_token|client[_-]secret(?:[_-]previous)?"
              + "|code_verifier|code|password|secret)\\1(\\s*[:=]\\s*)([\"']?)([^\"'&\\s,;}\\]]+)");

  private static final Pattern PROVIDER_TOKEN =
      Pattern.compile("\\b(pin[acr]|hv[sbr])\\." + TOKEN_CHARS + "+");

  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)[^/\\s@]+@");

  /** A short number after {@code code} is an error code (Pinterest's {@code "code": 283}). */
  private static final Pattern ERROR_CODE = Pattern.compile("\\d{1,6}");

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = formatted(record);
    if (message != null) {
      String clean = scrub(message);
      if (record instanceof ExtLogRecord ext) {
        ext.setMessage(clean, ExtLogRecord.FormatStyle.NO_FORMAT);
      } else {
        record.setMessage(clean);
      }
      record.setParameters(null);
    }
    if (record.getThrown() != null) {
      record.setThrown(ScrubbedThrowable.of(record.getThrown()));
    }
    return true;
  }

  /** The text with every credential it recognises masked. */
  public static String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String clean = SCHEME.matcher(text).replaceAll("$1$2" + MASK);
    clean = PROVIDER_TOKEN.matcher(clean).replaceAll("$1." + MASK);
    clean = JWT.matcher(clean).replaceAll("eyJ" + MASK);
    clean = URL_PASSWORD.matcher(clean).replaceAll("$1" + MASK + "@");
    return named(clean);
  }

  private static String named(String text) {
    Matcher m = NAMED.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      boolean errorCode =
          m.group(2).equalsIgnoreCase("code") && ERROR_CODE.matcher(m.group(5)).matches();
      String value = errorCode || m.group(5).equals(MASK) ? m.group(5) : MASK;
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(1) + m.group(3) + m.group(4))
              + Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String formatted(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      return ext.getFormattedMessage();
    }
    String message = record.getMessage();
    Object[] parameters = record.getParameters();
    if (message == null || parameters == null || parameters.length == 0) {
      return message;
    }
    try {
      return MessageFormat.format(message, parameters);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }
}
