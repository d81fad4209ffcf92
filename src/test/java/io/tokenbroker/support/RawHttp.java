package io.tokenbroker.support;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte over a socket to the broker under test. Java's
 * HttpClient refuses to send a {@code Host} header of the caller's choosing, which is exactly what
 * a DNS-rebinding page makes a browser send.
 */
public final class RawHttp {

  /** Status line code and body of an answer (the connection is closed after it). */
  public record Answer(int status, String head, String body) {}

  private RawHttp() {}

  /** POSTs {@code json} to {@code path} with these headers (Host included) and nothing else. */
  public static Answer postJson(String path, Map<String, String> headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", "application/json");
    all.put("Content-Length", Integer.toString(body.length));
    all.put("Connection", "close");
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
    all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      String raw = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String head = split < 0 ? raw : raw.substring(0, split);
      String rest = split < 0 ? "" : raw.substring(split + 4);
      return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, rest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toByteArray();
  }
}
