package io.tokenbroker.connect;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.authorization.AuthorizationService;
import io.tokenbroker.authorization.AuthorizationSource;
import io.tokenbroker.authorization.StartAuthorization;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creates, lists and revokes connect links, and turns an opened link into an authorization through
 * {@link AuthorizationService} — a fresh state on every Continue, so that a link outlives the
 * state's ten minutes.
 */
@ApplicationScoped
public class ConnectLinkService {

  private final AuthorizationService authorizations;
  private final PublicBaseUrl base;
  private final AuditTrail audit;
  private final EntityManager em;

  ConnectLinkService(
      AuthorizationService authorizations, PublicBaseUrl base, AuditTrail audit, EntityManager em) {
    this.authorizations = authorizations;
    this.base = base;
    this.audit = audit;
    this.em = em;
  }

  public ConnectLinkCreated create(CreateConnectLink body, String createdBy) {
    if (!base.isSet()) {
      throw new BrokerException(
          ProblemCode.CONNECT_LINKS_NOT_CONFIGURED,
          "Set " + PublicBaseUrl.KEY + " to the broker's public URL to create connect links.");
    }
    Set<String> scopes = authorizations.checkScopes(body.provider(), body.scopes());
    String token = LinkTokens.generate();
    Instant now = Instant.now();
    ConnectLink link = new ConnectLink();
    link.id = UUID.randomUUID();
    link.tokenHash = LinkTokens.hash(token);
    link.provider = body.provider();
    link.scopes = Scopes.format(scopes);
    link.allowedCallers = String.join(",", new TreeSet<>(body.allowedCallers()));
    link.label = body.label();
    link.note = body.note();
    link.createdBy = createdBy;
    link.createdAt = now;
    link.expiresAt = now.plusSeconds(body.lifetimeSeconds());
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              link.persist();
              audit.recordInTransaction(
                  AuditEntry.of(AuditAction.CONNECT_LINK_CREATED, createdBy)
                      .provider(link.provider)
                      .detail(describe(link) + " expires " + link.expiresAt));
            });
    return new ConnectLinkCreated(link.id, base.linkUrl(token), link.expiresAt);
  }

  /** Every link, newest first. */
  public List<ConnectLinkView> list() {
    Instant now = Instant.now();
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "from ConnectLink l order by l.createdAt desc, l.id", ConnectLink.class)
                    .getResultStream()
                    .map(l -> ConnectLinkView.of(l, now))
                    .toList());
  }

  /**
   * Withdraws a link; a used or already revoked link stays as it is (the answer is the same, so
   * that a retried DELETE is harmless).
   *
   * @throws BrokerException {@code not_found} for an unknown id
   */
  public void revoke(UUID id, String revokedBy) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ConnectLink link = em.find(ConnectLink.class, id);
              if (link == null) {
                throw BrokerException.notFound("No connect link with this id.");
              }
              if (link.revokedAt != null || link.usedAt != null) {
                return;
              }
              link.revokedAt = Instant.now();
              link.revokedBy = revokedBy;
              audit.recordInTransaction(
                  AuditEntry.of(AuditAction.CONNECT_LINK_REVOKED, revokedBy)
                      .provider(link.provider)
                      .detail(describe(link)));
            });
  }

  /** The link a token opens, if the token is one of ours. */
  Optional<ConnectLink> findByToken(String token) {
    if (!LinkTokens.wellFormed(token)) {
      return Optional.empty();
    }
    String hash = LinkTokens.hash(token);
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery("from ConnectLink l where l.tokenHash = :hash", ConnectLink.class)
                    .setParameter("hash", hash)
                    .getResultStream()
                    .findFirst()
                    .map(
                        l -> {
                          em.detach(l);
                          return l;
                        }));
  }

  /** Starts a fresh authorization for an active link; returns the provider's URL. */
  String continueTo(ConnectLink link, AuthorizationSource source) {
    List<String> callers =
        link.allowedCallers == null
            ? List.of()
            : Arrays.stream(link.allowedCallers.split(",")).filter(s -> !s.isEmpty()).toList();
    StartAuthorization start =
        new StartAuthorization(
            link.provider, new ArrayList<>(Scopes.parse(link.scopes)), null, callers, link.label);
    String url =
        authorizations
            .startFor(source, link.id.toString(), start, link.createdBy)
            .authorizationUrl();
    audit.record(
        AuditEntry.of(AuditAction.CONNECT_LINK_CONTINUED, actor(link)).provider(link.provider));
    return url;
  }

  /**
   * Marks the link used by the connection just stored, in that transaction; false when it was used
   * or revoked meanwhile. Expiry is not checked again: it was checked when the person continued,
   * and the authorization's own state expires ten minutes later.
   */
  boolean claim(UUID linkId, UUID connectionId, String account) {
    int claimed =
        em.createQuery(
                "update ConnectLink l set l.usedAt = :now, l.connectionId = :connection,"
                    + " l.accountName = :account"
                    + " where l.id = :id and l.usedAt is null and l.revokedAt is null")
            .setParameter("now", Instant.now())
            .setParameter("connection", connectionId)
            .setParameter("account", truncate(account))
            .setParameter("id", linkId)
            .executeUpdate();
    ConnectLink link = em.find(ConnectLink.class, linkId);
    String provider = link == null ? null : link.provider;
    if (claimed == 1) {
      audit.recordInTransaction(
          AuditEntry.of(AuditAction.CONNECT_LINK_USED, "connect-link:" + linkId)
              .provider(provider)
              .connection(connectionId)
              .detail("account " + truncate(account)));
    }
    return claimed == 1;
  }

  /** The provider a link is for. */
  Optional<String> providerOf(UUID linkId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> Optional.ofNullable(em.find(ConnectLink.class, linkId)).map(l -> l.provider));
  }

  /** Audits what a person did with a link (opened it, was refused). */
  void recordVisit(ConnectLink link, AuditAction action, String outcome) {
    audit.record(
        AuditEntry.of(action, actor(link))
            .outcome(outcome)
            .provider(link.provider)
            .connection(link.connectionId));
  }

  static String actor(ConnectLink link) {
    return "connect-link:" + link.id;
  }

  private static String describe(ConnectLink link) {
    return "link " + link.id + (link.label == null ? "" : " label " + link.label);
  }

  private static String truncate(String account) {
    return account == null || account.length() <= 255 ? account : account.substring(0, 255);
  }
}
