package io.tokenbroker.support.upstream;

import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What happened at the stand-in (requests, counters) and what is scripted to happen next (queued
 * token faults). Its monitor lets a test wait for a number of token calls instead of sleeping.
 */
final class StandInJournal {

  private final List<AuthorizeRequest> authorizeRequests = new ArrayList<>();
  private final List<TokenRequest> tokenRequests = new ArrayList<>();
  private final Map<String, Integer> tokenCallsByGrant = new HashMap<>();
  private final Deque<TokenEndpointFault> faults = new ConcurrentLinkedDeque<>();
  private volatile TokenEndpointFault standingFault;
  private int tokenCalls;
  private int invalidGrantRefusals;
  private int accountCalls;
  private int revocationCalls;
  private final List<ApiRequest> apiRequests = new ArrayList<>();
  private long apiBodyBytes;
  // Bumped by clear(): a request still in flight from before a reset must not write into the
  // journal of the test that follows.
  private long generation;

  /** Counts an arriving token request; returns the generation to pass to later records. */
  synchronized long tokenCallArrived(String grantType) {
    tokenCalls++;
    tokenCallsByGrant.merge(grantType, 1, Integer::sum);
    notifyAll();
    return generation;
  }

  synchronized void recordToken(long arrivedIn, TokenRequest request) {
    if (arrivedIn == generation) {
      tokenRequests.add(request);
    }
  }

  synchronized void recordAuthorize(AuthorizeRequest request) {
    authorizeRequests.add(request);
  }

  synchronized void invalidGrantRefused(long arrivedIn) {
    if (arrivedIn == generation) {
      invalidGrantRefusals++;
    }
  }

  synchronized void accountCalled() {
    accountCalls++;
  }

  synchronized void revocationCalled() {
    revocationCalls++;
  }

  synchronized void recordApi(ApiRequest request) {
    apiRequests.add(request);
  }

  /** Counts API request body bytes as they are read, before the request is complete. */
  synchronized void apiBodyBytesArrived(long n) {
    apiBodyBytes += n;
    notifyAll();
  }

  synchronized List<ApiRequest> apiRequests() {
    return List.copyOf(apiRequests);
  }

  synchronized long apiBodyBytes() {
    return apiBodyBytes;
  }

  synchronized boolean awaitApiBodyBytes(long atLeast, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (apiBodyBytes < atLeast) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  void enqueue(TokenEndpointFault fault) {
    faults.addLast(fault);
  }

  TokenEndpointFault nextFault() {
    TokenEndpointFault queued = faults.pollFirst();
    return queued != null ? queued : standingFault;
  }

  /** Answers every token request after the queued ones with {@code fault}; null ends it. */
  void standingFault(TokenEndpointFault fault) {
    standingFault = fault;
  }

  int pendingFaults() {
    return faults.size();
  }

  synchronized boolean awaitTokenCalls(int atLeast, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (tokenCalls < atLeast) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  synchronized int tokenCalls() {
    return tokenCalls;
  }

  synchronized int tokenCalls(String grantType) {
    return tokenCallsByGrant.getOrDefault(grantType, 0);
  }

  synchronized int invalidGrantRefusals() {
    return invalidGrantRefusals;
  }

  synchronized int accountCalls() {
    return accountCalls;
  }

  synchronized int revocationCalls() {
    return revocationCalls;
  }

  synchronized List<AuthorizeRequest> authorizeRequests() {
    return List.copyOf(authorizeRequests);
  }

  synchronized List<TokenRequest> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  synchronized void clear() {
    authorizeRequests.clear();
    tokenRequests.clear();
    tokenCallsByGrant.clear();
    faults.clear();
    standingFault = null;
    tokenCalls = 0;
    invalidGrantRefusals = 0;
    accountCalls = 0;
    revocationCalls = 0;
    apiRequests.clear();
    apiBodyBytes = 0;
    generation++;
    notifyAll();
  }
}
