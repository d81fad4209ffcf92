package io.tokenbroker.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's request body on its way to the provider: piped as it arrives with backpressure (the
 * caller is paused while the provider's connection is full), counted against {@code
 * broker.proxy.max-body-size}, and kept for a retry only while it is at most {@code
 * broker.proxy.retry-body-size}. Never held whole otherwise, never logged.
 */
final class RequestBody {

  private final HttpServerRequest in;
  private final long max;
  private final long keep;
  private final long declared;
  private long received;
  private Buffer replay = Buffer.buffer();
  private boolean ended;

  RequestBody(HttpServerRequest in, ProxyConfig config) {
    this.in = in;
    this.max = config.maxBodySize().asLongValue();
    this.keep = config.retryBodySize().asLongValue();
    this.declared = declaredLength(in);
  }

  /** True when the caller declared a body larger than the limit (refused before any call). */
  boolean declaredTooLarge() {
    return declared > max;
  }

  boolean present() {
    return declared > 0 || in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /** True once the caller's body has been read to its end (at once when there is none). */
  boolean ended() {
    return ended || !present();
  }

  /** The whole body, when it was small enough to keep; null otherwise. */
  Buffer replay() {
    return replay;
  }

  /**
   * Pipes the body into {@code out} and ends it; {@code onEnd} runs after the last byte, {@code
   * onTooLarge} instead when the body passes the limit (the upstream request is reset first).
   */
  void pipeTo(HttpClientRequest out, Runnable onEnd, Runnable onTooLarge) {
    if (declared >= 0) {
      out.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(declared));
    } else {
      out.setChunked(true);
    }
    in.handler(
        chunk -> {
          received += chunk.length();
          if (received > max) {
            in.handler(null);
            out.reset();
            onTooLarge.run();
            return;
          }
          if (replay != null) {
            replay = received <= keep ? replay.appendBuffer(chunk) : null;
          }
          out.write(chunk);
          if (out.writeQueueFull()) {
            in.pause();
            out.drainHandler(v -> in.resume());
          }
        });
    in.endHandler(
        v -> {
          ended = true;
          out.end();
          onEnd.run();
        });
    in.exceptionHandler(e -> out.reset());
    in.resume();
  }

  /** Reads and drops what is left, so that an answer given early can still be delivered. */
  void discard() {
    if (!ended) {
      in.handler(chunk -> {});
      in.endHandler(null);
      in.resume();
    }
  }

  private static long declaredLength(HttpServerRequest in) {
    String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
