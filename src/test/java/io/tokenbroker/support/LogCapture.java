package io.tokenbroker.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Filter;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Keeps every log record the application emits while it is open, from an in-memory handler added to
 * the root logger, as the console writes it: each record first goes through the filter that
 * configuration put on the console handler (the console itself may run on its own thread, so its
 * copy of the work cannot be waited for here).
 */
public final class LogCapture extends ExtHandler implements AutoCloseable {

  /** One captured record: its logger, the request id in its MDC, and its full text. */
  public record Line(String logger, String requestId, String text) {}

  private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
  private final Logger root;
  private final Filter consoleFilter;

  private LogCapture() {
    this.root = LogContext.getLogContext().getLogger("");
    this.consoleFilter =
        consoleHandler(root.getHandlers())
            .orElseThrow(() -> new IllegalStateException("no console handler on the root logger"))
            .getFilter();
  }

  /** The console handler, wherever wrapping handlers (delayed, async) put it. */
  private static Optional<Handler> consoleHandler(Handler[] handlers) {
    for (Handler handler : handlers) {
      if (handler instanceof ConsoleHandler) {
        return Optional.of(handler);
      }
      if (handler instanceof ExtHandler ext) {
        Optional<Handler> inner = consoleHandler(ext.getHandlers());
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }

  /** The filter configuration put on the console handler, or null. */
  public Filter consoleFilter() {
    return consoleFilter;
  }

  public static LogCapture onRootLogger() {
    LogCapture capture = new LogCapture();
    capture.root.addHandler(capture);
    return capture;
  }

  @Override
  protected void doPublish(ExtLogRecord record) {
    if (consoleFilter != null && !consoleFilter.isLoggable(record)) {
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append(record.getLevel()).append(' ').append(record.getFormattedMessage());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      text.append('\n').append(trace);
    }
    lines.add(new Line(record.getLoggerName(), record.getMdc("request_id"), text.toString()));
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
