package io.tokenbroker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the layering of docs/architecture.md: main packages import each other one way only, and a
 * package imports only packages of lower layers. A new package must be given a layer here (and in
 * the document) before it can be built on.
 */
class PackageLayeringTest {

  private static final String ROOT = "io.tokenbroker";

  /** Layer by layer, bottom first: a package may import only packages of the layers before it. */
  static final List<Set<String>> LAYERS =
      List.of(
          // Foundation: generic tools, logs, readiness, problems and meters; no domain at all.
          Set.of("shared", "logging", "embedded", "health", "problem", "metrics"),
          // Configuration, secrets and keys, the audit trail.
          Set.of("provider", "crypto", "audit"),
          // Talking to a provider's token endpoint; who is calling.
          Set.of("grant", "caller"),
          // The stored grants.
          Set.of("connection"),
          // What happens to stored grants: refresh, linking, change notifications.
          Set.of("refresh", "authorization", "webhook"),
          // Serving tokens; links and imports that start or bring grants.
          Set.of("token", "connect", "imports"),
          // Doors built on the token service.
          Set.of("exchange", "proxy"));

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);
  }

  @Test
  void mainPackagesImportEachOtherWithoutCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void noPackageImportsOneOfItsOwnOrAHigherLayer() {
    List<String> violations = new ArrayList<>();
    for (int layer = 0; layer < LAYERS.size(); layer++) {
      Set<String> sameOrHigher = new TreeSet<>();
      LAYERS.subList(layer, LAYERS.size()).forEach(sameOrHigher::addAll);
      for (String pkg : LAYERS.get(layer)) {
        String[] forbidden =
            sameOrHigher.stream()
                .filter(other -> !other.equals(pkg))
                .map(other -> ROOT + "." + other + "..")
                .toArray(String[]::new);
        EvaluationResult result =
            noClasses()
                .that()
                .resideInAPackage(ROOT + "." + pkg + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden)
                .evaluate(main);
        String where = pkg + " (layer " + layer + " of docs/architecture.md): ";
        result.getFailureReport().getDetails().forEach(detail -> violations.add(where + detail));
      }
    }
    assertThat(violations).as("imports that point up or across the layering").isEmpty();
  }

  @Test
  void everyMainPackageHasALayer() {
    Set<String> layered =
        LAYERS.stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
    Set<String> packages =
        main.stream()
            .map(JavaClass::getPackageName)
            .filter(name -> name.startsWith(ROOT + "."))
            .map(name -> name.substring(ROOT.length() + 1).split("\\.")[0])
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(packages).contains("token", "refresh", "connection");
    assertThat(layered).containsAll(packages);
  }
}
