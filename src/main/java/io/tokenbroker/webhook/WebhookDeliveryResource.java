package io.tokenbroker.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The webhook outbox for administrators: what failed, and sending an event again. */
@Path("/v1/admin/webhook-deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class WebhookDeliveryResource {

  private static final Set<String> STATES =
      Set.of(WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.FAILED);
  private static final String ID = "msg_[0-9a-f]{32}";

  private final CallerPolicy policy;
  private final WebhookSettings settings;
  private final AuditTrail audit;

  WebhookDeliveryResource(CallerPolicy policy, WebhookSettings settings, AuditTrail audit) {
    this.policy = policy;
    this.settings = settings;
    this.audit = audit;
  }

  @GET
  @Operation(
      summary = "List webhook events by state (role broker-admin)",
      description = "Newest first. state is failed (default), pending or delivered.")
  @APIResponse(responseCode = "200", description = "The events, at most limit of them")
  @APIResponse(responseCode = "400", description = "Unknown state or limit out of range")
  public List<WebhookDeliveryView> list(
      @QueryParam("state") String state, @QueryParam("limit") Integer limit) {
    policy.requireAdmin(policy.current());
    String wanted = state == null ? WebhookDelivery.FAILED : state;
    if (!STATES.contains(wanted)) {
      throw BrokerException.invalid("state must be one of failed, pending, delivered.");
    }
    int size = limit == null ? 100 : limit;
    if (size < 1 || size > 1000) {
      throw BrokerException.invalid("limit must be 1 to 1000.");
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                WebhookDelivery.<WebhookDelivery>find("state", Sort.descending("createdAt"), wanted)
                    .page(Page.ofSize(size))
                    .list()
                    .stream()
                    .map(WebhookDeliveryView::of)
                    .toList());
  }

  @POST
  @Path("{id}/redeliver")
  @Operation(
      summary = "Send a failed or delivered webhook event again (role broker-admin)",
      description =
          "The event keeps its webhook-id and body, is due at once and gets a new retry window.")
  @APIResponse(responseCode = "200", description = "The event, pending again")
  @APIResponse(responseCode = "404", description = "No such event")
  @APIResponse(responseCode = "409", description = "The event is still pending")
  public WebhookDeliveryView redeliver(@PathParam("id") String id) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    if (id == null || !id.matches(ID)) {
      throw BrokerException.notFound("No webhook event with this id.");
    }
    WebhookDeliveryView view =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  WebhookDelivery d = WebhookDelivery.findById(id);
                  if (d == null) {
                    throw BrokerException.notFound("No webhook event with this id.");
                  }
                  if (WebhookDelivery.PENDING.equals(d.state)) {
                    // It may be in flight right now; sending it again now would deliver it twice.
                    throw new BrokerException(
                        ProblemCode.CONFLICT,
                        "This event is still pending; it is sent at next_attempt_at.");
                  }
                  Instant now = Instant.now();
                  d.state = WebhookDelivery.PENDING;
                  d.nextAttemptAt = now;
                  d.giveUpAt = now.plus(settings.config().retry().giveUpAfter());
                  d.deliveredAt = null;
                  return WebhookDeliveryView.of(d);
                });
    audit.record(
        AuditEntry.of(AuditAction.WEBHOOK_REDELIVERY_REQUESTED, caller.name())
            .connection(view.connectionId())
            .detail(view.id()));
    return view;
  }
}
