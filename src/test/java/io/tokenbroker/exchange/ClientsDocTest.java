package io.tokenbroker.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/clients.md shows the Java example exactly as {@link JavaClientExampleTest} compiles and runs
 * it, so the page and the tested code cannot drift apart.
 */
class ClientsDocTest {

  @Test
  void clientsPageShowsTheTestedJavaExampleVerbatim() throws Exception {
    String page = Files.readString(Path.of("docs/clients.md"));
    String example = Files.readString(JavaClientExampleTest.SOURCE);
    assertThat(page).contains("```java\n" + example + "```\n");
  }

  @Test
  void clientsPageAndTokenExchangePageExistAndLinkEachOther() throws Exception {
    assertThat(Files.readString(Path.of("docs/clients.md"))).contains("token-exchange.md");
    assertThat(Files.readString(Path.of("docs/token-exchange.md"))).contains("clients.md");
  }
}
