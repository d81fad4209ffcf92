package io.tokenbroker.refresh;

/** Why a refresh ran; a metric tag and an audit detail. */
public enum RefreshTrigger {
  SCHEDULED("scheduled"),
  ON_DEMAND("on_demand"),
  FORCED("forced");

  private final String wire;

  RefreshTrigger(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
