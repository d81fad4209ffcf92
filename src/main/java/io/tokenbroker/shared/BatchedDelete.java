package io.tokenbroker.shared;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Deletes old rows a batch per transaction until none is left, so that pruning a large backlog
 * never holds locks or grows the write-ahead log for long. Shared by the retention jobs of the
 * tables that grow without bound.
 */
public final class BatchedDelete {

  private BatchedDelete() {}

  /**
   * Runs {@code deleteBatchSql} (native SQL taking the cutoff as parameter 1 and the batch size as
   * parameter 2, deleting at most that many rows) until a batch deletes fewer than {@code
   * batchSize}; returns how many rows were deleted in all.
   */
  public static int until(EntityManager em, String deleteBatchSql, Instant cutoff, int batchSize) {
    int total = 0;
    int deleted;
    do {
      deleted =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      em.createNativeQuery(deleteBatchSql)
                          .setParameter(1, cutoff.atOffset(ZoneOffset.UTC))
                          .setParameter(2, batchSize)
                          .executeUpdate());
      total += deleted;
    } while (deleted == batchSize);
    return total;
  }
}
