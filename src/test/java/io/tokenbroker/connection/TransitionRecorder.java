package io.tokenbroker.connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every status transition the application announces, for tests that check them. */
@ApplicationScoped
public class TransitionRecorder {

  private final List<StatusTransition> seen = new CopyOnWriteArrayList<>();

  void on(@Observes StatusTransition transition) {
    seen.add(transition);
  }

  /** The transitions of one connection, oldest first. */
  public List<StatusTransition> of(UUID connectionId) {
    return seen.stream().filter(t -> t.connectionId().equals(connectionId)).toList();
  }
}
