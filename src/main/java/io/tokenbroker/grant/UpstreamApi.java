package io.tokenbroker.grant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * The two HTTP shapes OAuth endpoints have: a form POST (token, revocation) and a bearer GET
 * (account). Built per endpoint URL by {@link UpstreamClients}; answers are read raw so that every
 * status, including errors, is classified by our code rather than by the client's defaults.
 */
public interface UpstreamApi {

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.WILDCARD)
  Response postForm(
      @HeaderParam("Authorization") String authorization, MultivaluedMap<String, String> form);

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  Response getJson(@HeaderParam("Authorization") String authorization);
}
