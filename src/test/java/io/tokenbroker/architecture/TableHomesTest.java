package io.tokenbroker.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class that writes SQL or JPQL against a table is one of that table's homes, listed here and
 * in docs/architecture.md, so a schema change finds every statement it touches. A new class with
 * such a statement fails this test until it is listed (or the statement moves into a home); a home
 * that no longer holds a statement fails it too, so the list stays true.
 */
class TableHomesTest {

  /** Table, its JPA entity name (null without one), and the classes that hold its statements. */
  private record Table(String name, String entity, Set<String> homes) {}

  private static final Set<Table> TABLES =
      Set.of(
          new Table(
              "connection",
              "Connection",
              Set.of(
                  "connection.ConnectionCensus",
                  "connection.ConnectionRows",
                  "refresh.DueConnections",
                  "refresh.FencedRotationUpdate",
                  "refresh.LeaseStore")),
          new Table(
              "authorization_request",
              "AuthorizationRequest",
              Set.of("authorization.AuthorizationService", "authorization.ExpiredRequestPruning")),
          new Table("audit_event", "AuditEvent", Set.of("audit.AuditPruning", "audit.AuditRows")),
          new Table("webhook_delivery", "WebhookDelivery", Set.of("webhook.DeliveryClaims")),
          new Table("connect_link", "ConnectLink", Set.of("connect.ConnectLinkService")),
          new Table("data_key", null, Set.of("crypto.DataKeyTable")),
          new Table("local_data_key", null, Set.of("crypto.LocalKeyRegistry")),
          new Table("broker_instance", null, Set.of("refresh.LeaseOwnerRegistry")));

  private static final Path MAIN = Path.of("src/main/java/io/tokenbroker");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  @Test
  void everyStatementAgainstATableLivesInOneOfItsListedHomes() {
    Map<String, String> literals = literalsByClass();
    for (Table table : TABLES) {
      Pattern sql =
          Pattern.compile(
              "(?i)\\b(from|into|update|join|table)\\s+"
                  + table.name()
                  + "\\b"
                  + (table.entity() == null
                      ? ""
                      : "|\\b(?-i:(from|update|join)\\s+" + table.entity() + ")\\b"));
      Set<String> found = new TreeSet<>();
      literals.forEach(
          (cls, text) -> {
            if (sql.matcher(text).find()) {
              found.add(cls);
            }
          });
      assertThat(found)
          .as("classes with statements against %s", table.name())
          .isEqualTo(new TreeSet<>(table.homes()));
    }
  }

  private static Map<String, String> literalsByClass() {
    Map<String, String> byClass = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .forEach(
              p -> {
                StringBuilder text = new StringBuilder();
                Matcher m = LITERAL.matcher(read(p));
                while (m.find()) {
                  text.append(m.group(1)).append(' ');
                }
                String cls = MAIN.relativize(p).toString().replace(".java", "").replace('/', '.');
                byClass.put(cls, text.toString());
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byClass;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
