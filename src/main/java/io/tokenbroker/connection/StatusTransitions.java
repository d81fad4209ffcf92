package io.tokenbroker.connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * The one place every status change of a connection is announced from. Each writer of a status
 * calls it in the transaction that writes the change, with the status before; observers (the
 * webhook outbox) decide what the pair (previous, current) means, so a transition added later is
 * announced without touching them.
 */
@ApplicationScoped
public class StatusTransitions {

  private final Event<StatusTransition> transitions;

  StatusTransitions(Event<StatusTransition> transitions) {
    this.transitions = transitions;
  }

  /**
   * Announces {@code c}'s current status if it differs from {@code previous}; call it after the
   * change, inside its transaction.
   */
  public void changed(Connection c, ConnectionStatus previous, String reason) {
    if (previous != c.status) {
      transitions.fire(StatusTransition.of(c, previous, false, reason));
    }
  }

  /**
   * Announces that the account was linked (new, linked again, or imported), whatever its status
   * was; {@code previous} is null for a new connection.
   */
  public void linked(Connection c, ConnectionStatus previous, String reason) {
    transitions.fire(StatusTransition.of(c, previous, true, reason));
  }
}
