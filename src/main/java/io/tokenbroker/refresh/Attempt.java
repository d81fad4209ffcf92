package io.tokenbroker.refresh;

/**
 * How one attempt under a lease ended, and whether its write already ended the lease (a write that
 * lands clears the lease in the same statement; every other exit gives it back separately).
 */
record Attempt(RefreshResult result, boolean leaseEnded) {

  static Attempt leaseKept(RefreshResult result) {
    return new Attempt(result, false);
  }

  static Attempt leaseEnded(RefreshResult result) {
    return new Attempt(result, true);
  }
}
