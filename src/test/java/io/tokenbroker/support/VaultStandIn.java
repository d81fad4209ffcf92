package io.tokenbroker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STAND-IN for HashiCorp Vault, for tests only: a small JDK HTTP server on a random loopback port
 * that speaks the parts of the Vault HTTP API the broker's quarkus-vault client uses, with Vault's
 * paths, payloads, status codes and error bodies.
 *
 * <ul>
 *   <li>Auth: a static root token; {@code POST /v1/auth/approle/login}; {@code POST
 *       /v1/auth/kubernetes/login}; {@code GET /v1/auth/token/lookup-self}; {@code POST
 *       /v1/auth/token/renew-self}. Every other call needs a live {@code X-Vault-Token}, else 403
 *       {@code permission denied}, which is what makes the real client log in again.
 *   <li>KV v2 at mount {@code secret}: {@code GET|POST|PUT /v1/secret/data/<path>} (versioned) and
 *       {@code LIST /v1/secret/metadata/<path>} (also as {@code GET ...?list=true}).
 *   <li>Transit at mount {@code transit}: {@code POST /v1/transit/encrypt/<key>}, {@code
 *       /decrypt/<key>} and {@code /rewrap/<key>}, single and {@code batch_input} forms, real
 *       AES-256-GCM with versioned keys ({@code vault:v<n>:...}), keys created on first encrypt as
 *       Vault does; {@code POST /v1/transit/keys/<key>/rotate}.
 *   <li>{@code GET /v1/sys/health}.
 * </ul>
 *
 * <p>Not a Vault: no policies (a live token may do anything), no leases, no storage beyond memory,
 * and a Transit {@code context} is bound as associated data instead of deriving a key. State
 * survives {@link #stop()} and {@link #restart()} (on the same port), as a real Vault's storage
 * would, so tests can take Vault away and bring it back.
 */
public final class VaultStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> KV_MOUNTS = Set.of("secret");
  private static final Set<String> TRANSIT_MOUNTS = Set.of("transit");

  private record Token(String id, String accessor, String path, Instant issuedAt, Duration ttl) {
    boolean expired(Instant now) {
      return ttl != null && !issuedAt.plus(ttl).isAfter(now);
    }
  }

  private record Version(Map<String, String> data, Instant createdAt) {}

  private final String rootToken = "hvs.root-" + hex(12);
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> appRoles = new ConcurrentHashMap<>();
  private final Map<String, String> kubernetesRoles = new ConcurrentHashMap<>();
  private final Map<String, List<Version>> kv = new ConcurrentHashMap<>();
  private final Map<String, List<byte[]>> transitKeys = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> logins = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile Duration loginTtl = Duration.ofHours(1);
  private volatile CountDownLatch hung;
  private volatile HttpServer server;
  private volatile ExecutorService executor;
  private int port;

  private VaultStandIn() {
    tokens.put(rootToken, new Token(rootToken, "root", "auth/token/root", Instant.now(), null));
  }

  /** Starts a stand-in on a random free loopback port. */
  public static VaultStandIn start() {
    VaultStandIn vault = new VaultStandIn();
    vault.listen(0);
    return vault;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** A token that never expires, as a root token configured with token auth. */
  public String rootToken() {
    return rootToken;
  }

  /** Enables AppRole login for this role and secret id. */
  public VaultStandIn appRole(String roleId, String secretId) {
    appRoles.put(roleId, secretId);
    return this;
  }

  /** Enables Kubernetes login for this role with exactly this service-account JWT. */
  public VaultStandIn kubernetesRole(String role, String serviceAccountJwt) {
    kubernetesRoles.put(role, serviceAccountJwt);
    return this;
  }

  /** Lease of the tokens that logins issue from now on. */
  public VaultStandIn loginTokenTtl(Duration ttl) {
    this.loginTtl = ttl;
    return this;
  }

  /** Writes a new version of a KV v2 secret, as {@code vault kv put secret/<path> ...} does. */
  public void putSecret(String path, Map<String, String> data) {
    kv.computeIfAbsent("secret/" + path, p -> new CopyOnWriteArrayList<>())
        .add(new Version(Map.copyOf(data), Instant.now()));
  }

  /** Revokes every token issued by a login, as expiry or {@code vault token revoke} would. */
  public void revokeLoginTokens() {
    tokens.values().removeIf(t -> !t.id().equals(rootToken));
  }

  /** Adds a version to a Transit key, as {@code vault write -f transit/keys/<key>/rotate}. */
  public void rotateTransitKey(String name) {
    transitKey("transit/" + name).add(newAesKey());
  }

  /** How many successful logins used this auth method ({@code approle}, {@code kubernetes}). */
  public int logins(String method) {
    return logins.computeIfAbsent(method, m -> new AtomicInteger()).get();
  }

  /** Every request received so far, as {@code METHOD /v1/path}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * Makes Vault hang, as a Vault behind a stalled network or an overloaded storage backend does:
   * connections are accepted and requests read, but no answer comes until {@link #answerAgain()}
   * (or one minute has passed).
   */
  public void hang() {
    hung = new CountDownLatch(1);
  }

  /** Answers again, hung requests included. */
  public void answerAgain() {
    CountDownLatch latch = hung;
    hung = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Takes Vault away: the port refuses connections until {@link #restart()}. */
  public synchronized void stop() {
    answerAgain();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Brings Vault back on the same port with the same state. */
  public synchronized void restart() {
    stop();
    listen(port);
  }

  public boolean running() {
    return server != null;
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void listen(int wanted) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
      executor =
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "vault-stand-in");
                t.setDaemon(true);
                return t;
              });
      s.setExecutor(executor);
      s.createContext("/", this::handle);
      s.start();
      port = s.getAddress().getPort();
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException("The Vault stand-in cannot listen on port " + wanted, e);
    }
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(method + " " + path);
      JsonNode body = readBody(exchange);
      awaitAnswering();
      Reply reply;
      try {
        reply = route(exchange, method, path, query, body);
      } catch (VaultError e) {
        reply = errors(e.status, e.getMessage());
      }
      byte[] bytes = reply.body == null ? new byte[0] : JSON.writeValueAsBytes(reply.body);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status, reply.status == 204 ? -1 : bytes.length);
      if (reply.status != 204) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private void awaitAnswering() {
    CountDownLatch latch = hung;
    if (latch != null) {
      try {
        latch.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Reply route(
      HttpExchange exchange, String method, String path, String query, JsonNode body) {
    if (!path.startsWith("/v1/")) {
      throw new VaultError(404, "no handler for route \"" + path + "\"");
    }
    String route = path.substring(4);
    if (route.equals("sys/health")) {
      return ok(
          object()
              .put("initialized", true)
              .put("sealed", false)
              .put("standby", false)
              .put("version", "stand-in"));
    }
    if (route.equals("auth/approle/login") && isWrite(method)) {
      String roleId = text(body, "role_id");
      String secretId = text(body, "secret_id");
      if (roleId == null || secretId == null || !secretId.equals(appRoles.get(roleId))) {
        throw new VaultError(400, "invalid role or secret ID");
      }
      return login("approle", "auth/approle/login", Map.of("role_name", roleId));
    }
    if (route.equals("auth/kubernetes/login") && isWrite(method)) {
      String role = text(body, "role");
      String jwt = text(body, "jwt");
      if (role == null || jwt == null || !jwt.equals(kubernetesRoles.get(role))) {
        throw new VaultError(403, "permission denied");
      }
      return login("kubernetes", "auth/kubernetes/login", Map.of("role", role));
    }
    Token token = authenticate(exchange);
    if (route.equals("auth/token/lookup-self") && method.equals("GET")) {
      return ok(data(tokenInfo(token)));
    }
    if (route.equals("auth/token/renew-self") && isWrite(method)) {
      Token renewed =
          new Token(token.id(), token.accessor(), token.path(), Instant.now(), token.ttl());
      tokens.put(token.id(), renewed);
      return ok(authBlock(renewed));
    }
    String mount = route.contains("/") ? route.substring(0, route.indexOf('/')) : route;
    String rest = route.substring(mount.length()).replaceFirst("^/", "");
    if (KV_MOUNTS.contains(mount)) {
      return kv(mount, method, rest, query, body);
    }
    if (TRANSIT_MOUNTS.contains(mount)) {
      return transit(mount, method, rest, body);
    }
    throw new VaultError(404, "no handler for route \"" + route + "\". route entry not found.");
  }

  private Token authenticate(HttpExchange exchange) {
    String presented = exchange.getRequestHeaders().getFirst("X-Vault-Token");
    Token token = presented == null ? null : tokens.get(presented);
    if (token == null || token.expired(Instant.now())) {
      throw new VaultError(403, "permission denied");
    }
    return token;
  }

  // --- KV v2 -----------------------------------------------------------------------------------

  private Reply kv(String mount, String method, String rest, String query, JsonNode body) {
    if (rest.startsWith("data/")) {
      String key = mount + "/" + rest.substring("data/".length());
      if (method.equals("GET")) {
        List<Version> versions = kv.get(key);
        if (versions == null || versions.isEmpty()) {
          return new Reply(404, object().set("errors", JSON.createArrayNode()));
        }
        Version latest = versions.get(versions.size() - 1);
        ObjectNode data = object();
        data.set("data", JSON.valueToTree(latest.data()));
        data.set(
            "metadata",
            object()
                .put("created_time", latest.createdAt().toString())
                .putNull("custom_metadata")
                .put("deletion_time", "")
                .put("destroyed", false)
                .put("version", versions.size()));
        return ok(data(data));
      }
      if (isWrite(method)) {
        Map<String, String> values = new LinkedHashMap<>();
        body.path("data")
            .fields()
            .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        putSecret(key.substring(mount.length() + 1), values);
        return ok(data(object().put("version", kv.get(key).size())));
      }
    }
    boolean list = method.equals("LIST") || (method.equals("GET") && "list=true".equals(query));
    if (rest.startsWith("metadata") && list) {
      String dir = rest.substring("metadata".length()).replaceFirst("^/", "");
      String prefix = mount + "/" + (dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/");
      Set<String> keys = new TreeSet<>();
      for (String stored : kv.keySet()) {
        if (stored.startsWith(prefix)) {
          String below = stored.substring(prefix.length());
          keys.add(below.contains("/") ? below.substring(0, below.indexOf('/') + 1) : below);
        }
      }
      if (keys.isEmpty()) {
        return new Reply(404, object().set("errors", JSON.createArrayNode()));
      }
      return ok(data(object().set("keys", JSON.valueToTree(keys))));
    }
    throw new VaultError(405, "unsupported operation");
  }

  // --- Transit ---------------------------------------------------------------------------------

  private Reply transit(String mount, String method, String rest, JsonNode body) {
    if (!isWrite(method)) {
      throw new VaultError(405, "unsupported operation");
    }
    if (rest.startsWith("keys/") && rest.endsWith("/rotate")) {
      String name = rest.substring("keys/".length(), rest.length() - "/rotate".length());
      transitKey(mount + "/" + name).add(newAesKey());
      return new Reply(204, null);
    }
    if (rest.startsWith("keys/")) {
      transitKey(mount + "/" + rest.substring("keys/".length()));
      return new Reply(204, null);
    }
    if (rest.startsWith("encrypt/")) {
      List<byte[]> versions = transitKey(mount + "/" + rest.substring("encrypt/".length()));
      return batchOrSingle(body, item -> encrypt(versions, item));
    }
    if (rest.startsWith("decrypt/")) {
      List<byte[]> versions = existingTransitKey(mount + "/" + rest.substring("decrypt/".length()));
      return batchOrSingle(body, item -> decrypt(versions, item));
    }
    if (rest.startsWith("rewrap/")) {
      List<byte[]> versions = existingTransitKey(mount + "/" + rest.substring("rewrap/".length()));
      return batchOrSingle(body, item -> rewrap(versions, item));
    }
    throw new VaultError(404, "no handler for route \"" + mount + "/" + rest + "\"");
  }

  private interface ItemOperation {
    ObjectNode apply(JsonNode item);
  }

  /**
   * Vault answers a {@code batch_input} with {@code batch_results} in the same order, each with its
   * own {@code error}; any failed item makes the status 400 unless {@code
   * partial_failure_response_code} says otherwise.
   */
  private Reply batchOrSingle(JsonNode body, ItemOperation operation) {
    JsonNode batch = body.path("batch_input");
    if (!batch.isArray()) {
      return ok(data(operation.apply(body)));
    }
    ArrayNode results = JSON.createArrayNode();
    boolean failed = false;
    for (JsonNode item : batch) {
      ObjectNode result;
      try {
        result = operation.apply(item);
      } catch (VaultError e) {
        result = object().put("error", e.getMessage());
        failed = true;
      }
      if (item.hasNonNull("reference")) {
        result.put("reference", item.get("reference").asText());
      }
      results.add(result);
    }
    int status = failed ? body.path("partial_failure_response_code").asInt(400) : 200;
    return new Reply(status, data(object().set("batch_results", results)));
  }

  private ObjectNode encrypt(List<byte[]> versions, JsonNode item) {
    String plaintext = text(item, "plaintext");
    if (plaintext == null) {
      throw new VaultError(400, "missing plaintext to encrypt");
    }
    int version = versions.size();
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] sealed =
        aes(Cipher.ENCRYPT_MODE, versions.get(version - 1), nonce, item, decode(plaintext));
    byte[] out = new byte[nonce.length + sealed.length];
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
    return object()
        .put("ciphertext", "vault:v" + version + ":" + Base64.getEncoder().encodeToString(out))
        .put("key_version", version);
  }

  private ObjectNode decrypt(List<byte[]> versions, JsonNode item) {
    String ciphertext = text(item, "ciphertext");
    if (ciphertext == null || !ciphertext.startsWith("vault:v")) {
      throw new VaultError(400, "invalid ciphertext: no prefix");
    }
    String[] parts = ciphertext.split(":", 3);
    int version;
    byte[] raw;
    try {
      version = Integer.parseInt(parts[1].substring(1));
      raw = Base64.getDecoder().decode(parts[2]);
    } catch (RuntimeException e) {
      throw new VaultError(400, "invalid ciphertext: could not decode");
    }
    if (version < 1 || version > versions.size() || raw.length < 12 + 16) {
      throw new VaultError(400, "invalid key version");
    }
    byte[] nonce = Arrays.copyOf(raw, 12);
    byte[] sealed = Arrays.copyOfRange(raw, 12, raw.length);
    byte[] plain = aes(Cipher.DECRYPT_MODE, versions.get(version - 1), nonce, item, sealed);
    return object().put("plaintext", Base64.getEncoder().encodeToString(plain));
  }

  private static byte[] aes(int mode, byte[] key, byte[] nonce, JsonNode item, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      String context = text(item, "context");
      if (context != null) {
        cipher.updateAAD(decode(context));
      }
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new VaultError(400, "cipher: message authentication failed");
    }
  }

  /** Decrypts with the version the ciphertext names and encrypts again with the newest one. */
  private ObjectNode rewrap(List<byte[]> versions, JsonNode item) {
    String plaintext = decrypt(versions, item).get("plaintext").asText();
    ObjectNode again = item.deepCopy();
    again.put("plaintext", plaintext);
    return encrypt(versions, again);
  }

  private List<byte[]> existingTransitKey(String name) {
    List<byte[]> versions = transitKeys.get(name);
    if (versions == null) {
      throw new VaultError(400, "encryption key not found");
    }
    return versions;
  }

  private List<byte[]> transitKey(String name) {
    return transitKeys.computeIfAbsent(
        name,
        n -> {
          List<byte[]> versions = new CopyOnWriteArrayList<>();
          versions.add(newAesKey());
          return versions;
        });
  }

  // --- Tokens ----------------------------------------------------------------------------------

  private Reply login(String method, String path, Map<String, String> metadata) {
    Token token = new Token("hvs." + hex(16), hex(12), path, Instant.now(), loginTtl);
    tokens.put(token.id(), token);
    logins.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    ObjectNode reply = authBlock(token);
    ((ObjectNode) reply.get("auth")).set("metadata", JSON.valueToTree(metadata));
    return ok(reply);
  }

  private ObjectNode authBlock(Token token) {
    ObjectNode auth =
        object()
            .put("client_token", token.id())
            .put("accessor", token.accessor())
            .put("lease_duration", token.ttl() == null ? 0 : token.ttl().toSeconds())
            .put("renewable", token.ttl() != null)
            .put("entity_id", "")
            .put("token_type", "service")
            .put("orphan", true)
            .put("num_uses", 0);
    auth.set("policies", JSON.valueToTree(List.of("default", "token-broker")));
    auth.set("token_policies", JSON.valueToTree(List.of("default", "token-broker")));
    auth.putNull("metadata");
    ObjectNode reply = envelope();
    reply.set("auth", auth);
    return reply;
  }

  private ObjectNode tokenInfo(Token token) {
    Instant now = Instant.now();
    ObjectNode info =
        object()
            .put("accessor", token.accessor())
            .put("creation_time", token.issuedAt().getEpochSecond())
            .put("creation_ttl", token.ttl() == null ? 0 : token.ttl().toSeconds())
            .put("display_name", token.path().replace("/", "-"))
            .put("entity_id", "")
            .put("explicit_max_ttl", 0)
            .put("id", token.id())
            .put("issue_time", token.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString())
            .put("num_uses", 0)
            .put("orphan", true)
            .put("path", token.path())
            .put("renewable", token.ttl() != null)
            .put(
                "ttl",
                token.ttl() == null
                    ? 0
                    : Duration.between(now, token.issuedAt().plus(token.ttl())).toSeconds())
            .put("type", "service");
    if (token.ttl() == null) {
      info.putNull("expire_time");
    } else {
      info.put(
          "expire_time",
          token.issuedAt().plus(token.ttl()).truncatedTo(ChronoUnit.SECONDS).toString());
    }
    info.putNull("meta");
    info.set("policies", JSON.valueToTree(List.of("default", "token-broker")));
    return info;
  }

  // --- JSON helpers ----------------------------------------------------------------------------

  private record Reply(int status, JsonNode body) {}

  private static final class VaultError extends RuntimeException {
    final int status;

    VaultError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static Reply ok(JsonNode body) {
    return new Reply(200, body);
  }

  private static Reply errors(int status, String message) {
    return new Reply(status, object().set("errors", JSON.valueToTree(List.of(message))));
  }

  /** Vault's response envelope around {@code data}. */
  private static ObjectNode data(JsonNode data) {
    ObjectNode reply = envelope();
    reply.set("data", data);
    return reply;
  }

  private static ObjectNode envelope() {
    ObjectNode reply =
        object()
            .put("request_id", UUID.randomUUID().toString())
            .put("lease_id", "")
            .put("renewable", false)
            .put("lease_duration", 0);
    reply.putNull("data");
    reply.putNull("wrap_info");
    reply.putNull("warnings");
    reply.putNull("auth");
    return reply;
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static boolean isWrite(String method) {
    return method.equals("POST") || method.equals("PUT");
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new VaultError(400, "failed to base64-decode plaintext");
    }
  }

  private static byte[] newAesKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
