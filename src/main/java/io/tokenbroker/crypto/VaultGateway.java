package io.tokenbroker.crypto;

import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitDecryptBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitDecryptBatchParams;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitDecryptResultBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptBatchParams;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptResultBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitRewrapBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitRewrapBatchParams;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitRewrapResultBatchItem;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.VaultOperation;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The broker's one door to Vault, over the quarkus-vault client (which owns authentication, token
 * renewal and re-login, TLS). It bounds every call by {@code broker.crypto.vault-timeout}, turns
 * every failure into a {@link VaultUnavailableException} whose message names the operation and
 * never a value, and remembers the last outcome for the readiness check.
 *
 * <p>The client bean is looked up only on first use, so the embedded default, which has no Vault
 * URL, never builds it.
 */
@ApplicationScoped
class VaultGateway {

  /** The last time Vault answered or failed, for readiness. */
  record Outcome(boolean reachable, Instant at, String problem) {}

  private final Instance<VaultClient> client;
  private final CryptoConfig config;
  private final BrokerMetrics metrics;
  private final AtomicReference<Outcome> last = new AtomicReference<>();

  VaultGateway(Instance<VaultClient> client, CryptoConfig config, BrokerMetrics metrics) {
    this.client = client;
    this.config = config;
    this.metrics = metrics;
  }

  /** The data of a KV v2 secret, or empty if there is none at {@code path}. */
  Optional<Map<String, Object>> readKv(String path) {
    String mount = config.secrets().kvMount();
    return call(
        VaultOperation.KV_READ,
        "read the KV v2 secret " + mount + "/data/" + path,
        c ->
            c.secrets()
                .kv2(mount)
                .readSecret(path)
                .thenApply(d -> Optional.ofNullable(d.getData()))
                .exceptionally(
                    failure -> {
                      if (cause(failure) instanceof VaultClientException e
                          && Integer.valueOf(404).equals(e.getStatus())) {
                        return Optional.empty();
                      }
                      throw new CompletionException(cause(failure));
                    }));
  }

  /** Encrypts each data key under the Transit key, in one batch call. */
  List<String> wrap(List<byte[]> keys) {
    var params =
        new VaultSecretsTransitEncryptBatchParams()
            .setBatchInput(
                keys.stream()
                    .map(k -> new VaultSecretsTransitEncryptBatchItem().setPlaintext(k))
                    .toList());
    List<VaultSecretsTransitEncryptResultBatchItem> results =
        call(
            VaultOperation.WRAP,
            "wrap data keys with Transit key " + transitName(),
            c -> c.secrets().transit(config.transit().mount()).encryptBatch(transitKey(), params));
    return results.stream()
        .map(
            r -> {
              if (r.getError() != null || r.getCiphertext() == null) {
                throw failed(VaultOperation.WRAP, "wrap a data key", r.getError());
              }
              return r.getCiphertext();
            })
        .toList();
  }

  /** Decrypts wrapped data keys with the Transit key, in one batch call. */
  List<byte[]> unwrap(List<String> wrapped) {
    var params =
        new VaultSecretsTransitDecryptBatchParams()
            .setBatchInput(
                wrapped.stream()
                    .map(w -> new VaultSecretsTransitDecryptBatchItem().setCiphertext(w))
                    .toList());
    List<VaultSecretsTransitDecryptResultBatchItem> results =
        call(
            VaultOperation.UNWRAP,
            "unwrap data keys with Transit key " + transitName(),
            c -> c.secrets().transit(config.transit().mount()).decryptBatch(transitKey(), params));
    return results.stream()
        .map(
            r -> {
              if (r.getError() != null || r.getPlaintext() == null) {
                throw failed(VaultOperation.UNWRAP, "unwrap a data key", r.getError());
              }
              return r.getPlaintext();
            })
        .toList();
  }

  /**
   * Re-encrypts wrapped data keys under the newest version of the Transit key, in one batch call,
   * without the keys leaving Vault in plaintext.
   */
  List<String> rewrap(List<String> wrapped) {
    var params =
        new VaultSecretsTransitRewrapBatchParams()
            .setBatchInput(
                wrapped.stream()
                    .map(w -> new VaultSecretsTransitRewrapBatchItem().setCiphertext(w))
                    .toList());
    List<VaultSecretsTransitRewrapResultBatchItem> results =
        call(
            VaultOperation.REWRAP,
            "rewrap data keys with Transit key " + transitName(),
            c -> c.secrets().transit(config.transit().mount()).rewrapBatch(transitKey(), params));
    return results.stream()
        .map(
            r -> {
              if (r.getError() != null || r.getCiphertext() == null) {
                throw failed(VaultOperation.REWRAP, "rewrap a data key", r.getError());
              }
              return r.getCiphertext();
            })
        .toList();
  }

  /** Checks that Vault answers and accepts the broker's token (logging in again if needed). */
  void probe() {
    call(
        VaultOperation.TOKEN_LOOKUP,
        "look up the broker's own Vault token",
        c -> c.auth().token().lookupSelf());
  }

  Optional<Outcome> lastOutcome() {
    return Optional.ofNullable(last.get());
  }

  String transitName() {
    return config.transit().mount() + "/keys/" + transitKey();
  }

  private String transitKey() {
    return config.transit().key();
  }

  private <T> T call(
      VaultOperation meterOperation,
      String operation,
      Function<VaultClient, CompletionStage<T>> request) {
    if (Context.isOnEventLoopThread()) {
      // The client answers on the event loop: waiting for it there would hang until the timeout.
      throw new IllegalStateException(
          "Vault calls block; make them from a worker thread (e.g. a @Blocking endpoint)");
    }
    try {
      T result =
          request
              .apply(client.get())
              .toCompletableFuture()
              .get(config.vaultTimeout().toMillis(), TimeUnit.MILLISECONDS);
      last.set(new Outcome(true, Instant.now(), null));
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(meterOperation, operation, "interrupted", e);
    } catch (TimeoutException e) {
      throw unavailable(meterOperation, operation, "no answer within " + config.vaultTimeout(), e);
    } catch (ExecutionException | CompletionException e) {
      throw unavailable(meterOperation, operation, describe(cause(e)), cause(e));
    } catch (RuntimeException e) {
      throw unavailable(meterOperation, operation, describe(e), e);
    }
  }

  private VaultUnavailableException unavailable(
      VaultOperation meterOperation, String operation, String why, Throwable cause) {
    metrics.vaultError(meterOperation);
    last.set(new Outcome(false, Instant.now(), "could not " + operation + ": " + why));
    return new VaultUnavailableException(
        "Vault is unavailable: could not " + operation + ".", cause);
  }

  private VaultUnavailableException failed(
      VaultOperation meterOperation, String operation, String error) {
    metrics.vaultError(meterOperation);
    String why = error == null ? "empty result" : error;
    last.set(new Outcome(false, Instant.now(), "could not " + operation + ": " + why));
    return new VaultUnavailableException("Vault refused to " + operation + ": " + why, null);
  }

  /** A description safe to log and to show: the status and Vault's error text, never a body. */
  private static String describe(Throwable t) {
    if (t instanceof VaultClientException e) {
      return "HTTP " + e.getStatus() + (e.getErrors() == null ? "" : " " + e.getErrors());
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static Throwable cause(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
