package io.tokenbroker.refresh;

import java.net.InetAddress;
import java.util.UUID;

/** The name a replica writes into the lease column: unique per process. */
public record LeaseOwner(String id) {

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
