package io.tokenbroker.problem;

/**
 * A CDI event fired when a request fails on the broker's side (a 5xx problem or an unexpected
 * exception). The problem package knows no meters: whoever counts such failures observes this.
 *
 * @param cause what the request failed with
 */
public record ServerFailure(Throwable cause) {}
