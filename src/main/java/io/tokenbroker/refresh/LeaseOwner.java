package io.tokenbroker.refresh;

import java.net.InetAddress;
import java.util.UUID;

/** The name a replica writes into the lease column: unique per process. */
public record LeaseOwner(String id) {

  /**
   * The name this replica's scheduled refresher claims leases under, apart from its requests' name
   * (see {@link LeaseStore#acquire}); it fits the 128 characters of the lease column.
   */
  public LeaseOwner scheduler() {
    String base = id.length() > 122 ? id.substring(id.length() - 122) : id;
    return new LeaseOwner(base + "/sched");
  }

  public static LeaseOwner ofThisProcess() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "broker";
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String name = host + "-" + suffix;
    return new LeaseOwner(name.length() > 120 ? name.substring(name.length() - 120) : name);
  }
}
