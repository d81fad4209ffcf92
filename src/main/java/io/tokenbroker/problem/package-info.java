/**
 * RFC 9457 problems: one exception hierarchy ({@link io.tokenbroker.problem.BrokerException} and
 * its codes) and the one mapper that renders them. A foundation package: it imports no other
 * package of the broker; what must be counted is announced as a {@link
 * io.tokenbroker.problem.ServerFailure} event.
 */
package io.tokenbroker.problem;
