package io.tokenbroker.crypto;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The operator's trigger for a data key rotation. */
@Path("/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("broker-admin")
public class KeyRotationResource {

  private final KeyRotation rotation;

  KeyRotationResource(KeyRotation rotation) {
    this.rotation = rotation;
  }

  /** A new key for new writes; stored values are re-encrypted before this answers. */
  @POST
  @Path("rotate")
  public KeyRotation.Result rotate() {
    return rotation.rotate();
  }
}
