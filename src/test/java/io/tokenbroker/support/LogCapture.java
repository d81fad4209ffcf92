package io.tokenbroker.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

/**
 * Keeps every log record the application emits while it is open, from an in-memory handler added
 * last to the root logger: it sees each record after the configured handlers (and their filters)
 * have seen it, as the text a log pipeline would get.
 */
public final class LogCapture extends ExtHandler implements AutoCloseable {

  /** One captured record: its logger, the request id in its MDC, and its full text. */
  public record Line(String logger, String requestId, String text) {}

  private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
  private final Logger root;

  private LogCapture() {
    this.root = LogContext.getLogContext().getLogger("");
  }

  public static LogCapture onRootLogger() {
    LogCapture capture = new LogCapture();
    capture.root.addHandler(capture);
    return capture;
  }

  @Override
  protected void doPublish(ExtLogRecord record) {
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
