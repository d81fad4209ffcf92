package io.tokenbroker.caller;

import io.tokenbroker.problem.BrokerException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;

/**
 * A test-only endpoint that uses {@link CallerPolicy} the way the broker's resources do, with no
 * security annotation of its own: it proves that the policy alone authenticates and decides.
 */
@Path("/v1/test/caller")
@Produces(MediaType.APPLICATION_JSON)
public class CallerProbeResource {

  private final CallerPolicy policy;

  CallerProbeResource(CallerPolicy policy) {
    this.policy = policy;
  }

  @GET
  public Caller current() {
    return policy.current();
  }

  @GET
  @Path("admin")
  public Caller admin() {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    return caller;
  }

  @GET
  @Path("connection")
  public Caller useConnection(@QueryParam("allowed") Set<String> allowed) {
    Caller caller = policy.current();
    if (!policy.mayUseConnection(caller, allowed)) {
      throw BrokerException.forbidden("The caller is not allowed to do this.");
    }
    return caller;
  }

  @GET
  @Path("client-credentials")
  public Caller useClientCredentials(@QueryParam("provider") String provider) {
    Caller caller = policy.current();
    policy.requireClientCredentials(caller, provider);
    return caller;
  }
}
