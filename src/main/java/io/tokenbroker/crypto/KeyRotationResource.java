package io.tokenbroker.crypto;

import io.tokenbroker.problem.ProblemDocs;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator's trigger for a data key rotation. */
@Path("/v1/admin/keys")
@Tag(name = "Administration")
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
  @Operation(
      summary = "Rotate the data key that encrypts stored tokens",
      description =
          "Role: broker-admin. A new data key for new writes; stored values are re-encrypted"
              + " before this answers.")
  @APIResponse(
      responseCode = "200",
      description = "What the rotation did",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = KeyRotation.Result.class)))
  @APIResponse(
      responseCode = "403",
      description = "forbidden: the caller lacks the broker-admin role",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public KeyRotation.Result rotate() {
    return rotation.rotate();
  }
}
