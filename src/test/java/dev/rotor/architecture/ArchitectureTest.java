package dev.rotor.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/design.md ("Package rules"): which Rotor package may use which. Dependencies point one
 * way, from cli/action at the top to the manifest model at the bottom, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rotor");

    private static final Set<String> PROVIDERS = Set.of("store.files", "store.dotenv", "store.github", "store.vault",
            "store.postgres", "store.redis", "store.onepassword", "store.azurepostgres", "store.awssecretsmanager",
            "store.azurekeyvault", "store.azureappservice", "store.azureblob", "store.kubernetes", "store.externalsecrets");

    /** Each package with the Rotor packages it may use (java and libraries aside). */
    static final Map<String, Set<String>> MAY_USE = rules();

    private static Map<String, Set<String>> rules() {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        rules.put("manifest", Set.of());
        rules.put("generate", Set.of("manifest"));
        rules.put("verify", Set.of("manifest", "http"));
        rules.put("store", Set.of("manifest"));
        rules.put("http", Set.of("store"));
        rules.put("github", Set.of("http", "store"));
        rules.put("azure", Set.of("manifest", "http", "store"));
        for (String provider : PROVIDERS) {
            rules.put(provider, Set.of("manifest", "store", "http", "github", "generate", "azure"));
        }
        // an ExternalSecret lives in a cluster: it reaches it as the kubernetes store does (KubeConnection)
        rules.put("store.externalsecrets", Set.of("manifest", "store", "http", "azure", "store.kubernetes"));
        rules.put("engine", Set.of("manifest", "generate", "verify", "store"));
        rules.put("report", Set.of("engine", "manifest"));
        rules.put("notify", Set.of("manifest", "report", "http"));
        rules.put("cli", Set.of("manifest", "generate", "verify", "store", "http", "github", "engine", "report",
                "notify"));
        rules.put("action", Set.of("cli", "report", "manifest"));
        return rules;
    }

    static Stream<String> packages() {
        return MAY_USE.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("packages")
    void eachPackageUsesOnlyThePackagesBelowIt(String pkg) {
        Set<String> forbidden = new TreeSet<>(MAY_USE.keySet());
        forbidden.removeAll(MAY_USE.get(pkg));
        forbidden.remove(pkg);
        noClasses().that().resideInAPackage("dev.rotor." + pkg)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.stream().map(p -> "dev.rotor." + p)
                        .toArray(String[]::new))
                .because("docs/design.md: " + pkg + " may use only " + MAY_USE.get(pkg))
                .check(MAIN);
    }

    @Test
    void everyPackageHasARule() {
        Set<String> found = new TreeSet<>();
        MAIN.forEach(c -> found.add(c.getPackageName().replaceFirst("^dev\\.rotor\\.?", "")));
        found.removeAll(MAY_USE.keySet());
        org.junit.jupiter.api.Assertions.assertEquals(Set.of(), found, "a new package needs its rule here and in docs/design.md");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("dev.rotor.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
