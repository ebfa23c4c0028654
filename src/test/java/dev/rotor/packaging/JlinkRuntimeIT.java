package dev.rotor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Builds the action image's Java runtime with jlink from {@code src/main/jlink/modules} (the list the Dockerfile
 * reads, with the Dockerfile's flags) and runs {@code target/rotor.jar} on it, so a missing module fails here
 * rather than in a user's workflow. Also builds the AppCDS archive the way the Dockerfile does and times
 * {@code --version} with and without it. Runs in {@code mvn verify}, after {@code package}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JlinkRuntimeIT {

    static final Path MODULES = Path.of("src/main/jlink/modules");
    static final Path RUNTIME = Path.of("target/jlink-runtime");
    static final Path CDS_ARCHIVE = Path.of("target/jlink-cds/rotor.jsa");
    static final Path EXAMPLE = Path.of("examples/local/rotation.yml");
    static final long BUDGET_BYTES = 120L * 1000 * 1000;

    /** The jlink options of the Dockerfile's jlink stage. */
    static final List<String> JLINK_OPTIONS =
            List.of("--strip-debug", "--no-man-pages", "--no-header-files", "--compress=2");

    @BeforeAll
    static void buildRuntime() throws Exception {
        assertTrue(Files.isRegularFile(RotorJar.JAR), RotorJar.JAR + " is missing: run `mvn package` first (failsafe runs after it)");
        String modules = String.join(",", modules(MODULES));
        Path stamp = RUNTIME.resolve("rotor-modules.txt");
        String built = modules + "\n" + JLINK_OPTIONS + "\n" + System.getProperty("java.home");
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(built)) {
            return; // built from the same list already
        }
        deleteTree(RUNTIME);
        List<String> jlink = new ArrayList<>(List.of(tool("jlink"), "--add-modules", modules));
        jlink.addAll(JLINK_OPTIONS);
        jlink.addAll(List.of("--output", RUNTIME.toString()));
        long start = System.nanoTime();
        Result result = RotorJar.program(jlink.toArray(String[]::new)).timeout(Duration.ofMinutes(5)).run();
        assertEquals(0, result.exit(), "jlink failed:\n" + result.all());
        Files.writeString(stamp, built);
        System.out.printf("jlink runtime built in %.1f s from %s%n", (System.nanoTime() - start) / 1e9, modules);
    }

    /** The module names of the shared list: one a line, {@code #} starts a comment. */
    static List<String> modules(Path file) throws IOException {
        List<String> modules = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String name = line.replaceFirst("#.*", "").strip();
            if (!name.isEmpty()) {
                assertTrue(name.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*"), "not a module name: " + name);
                modules.add(name);
            }
        }
        assertTrue(modules.contains("java.base"), "the list must name java.base");
        return modules;
    }

    @Test
    @Order(1)
    void runtimePlusJarFitTheBudget() throws IOException {
        long runtime = size(RUNTIME);
        long jar = Files.size(RotorJar.JAR);
        System.out.printf("jlink runtime %.1f MB + rotor.jar %.1f MB = %.1f MB (budget %.0f MB)%n",
                runtime / 1e6, jar / 1e6, (runtime + jar) / 1e6, BUDGET_BYTES / 1e6);
        assertTrue(runtime + jar < BUDGET_BYTES, "runtime + jar = " + (runtime + jar) + " bytes, over the budget");
    }

    @Test
    @Order(2)
    void versionRunsOnTheRuntime() throws Exception {
        Result result = onRuntime("--version").run();
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.all().strip().length() > 0, "--version printed nothing");
    }

    @Test
    @Order(3)
    void validateRunsOnTheRuntime() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE), EXAMPLE + " is missing");
        Result result = onRuntime("validate", "--manifest", EXAMPLE.toString()).run();
        assertEquals(0, result.exit(), result.all());
    }

    /**
     * Every provider's connection code loads on the runtime: a plan against owners and stores that are not there is
     * refused by preflight (exit 4), never an unexpected error from a class a missing module would not let load.
     */
    @Test
    @Order(3)
    void everyProviderConnectsOnTheRuntime(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("rotation.yml");
        Files.writeString(manifest, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  gh: { type: github, repository: acme/web, token: "${env:T}", api-url: "https://127.0.0.1:9" }
                  db: { type: postgres, host: 127.0.0.1, port: 9, user: admin, password: "${env:T}", sslmode: require }
                  cache: { type: redis, host: 127.0.0.1, port: 9, password: "${env:T}", tls: true }
                  kv: { type: azure-key-vault, url: "https://127.0.0.1:9" }
                secrets:
                  a: { generate: { type: password }, owner: { store: db, user: app }, targets: [ { store: keys, name: a } ] }
                  b: { generate: { type: password }, owner: { store: cache, user: app }, targets: [ { store: keys, name: b } ] }
                  c: { generate: { type: uuid }, targets: [ { store: keys, name: c }, { store: gh, name: C } ] }
                  d: { generate: { type: uuid }, targets: [ { store: keys, name: d }, { store: kv, name: d } ] }
                """);
        for (String secret : List.of("a", "b", "c", "d")) {
            Result result = onRuntime("plan", "--manifest", manifest.toString(), "--secret", secret)
                    .env(Map.of("T", "not-a-real-token")).run();
            assertEquals(4, result.exit(), secret + ": " + result.all());
            assertTrue(result.all().contains("preflight") && !result.all().contains("unexpected"),
                    secret + ": " + result.all());
            assertFalse(result.all().contains("SLF4J"), "the SDKs' logging says nothing: " + result.all());
        }
    }

    /**
     * The crypto the shaded jar must keep: key pairs generated and parsed back (status checks their policy) and a
     * sealed box for GitHub, on the runtime.
     */
    @Test
    @Order(3)
    void keysAndSealedBoxesWorkOnTheRuntime(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("rotation.yml");
        Files.writeString(manifest, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                secrets:
                  rsa: { generate: { type: rsa }, targets: [ { store: keys, name: rsa.pem } ] }
                  ec: { generate: { type: ec, curve: P-384 }, targets: [ { store: keys, name: ec.pem } ] }
                  ed: { generate: { type: ed25519 }, targets: [ { store: keys, name: ed.pem } ] }
                  jwt: { generate: { type: jwt-hmac }, targets: [ { store: keys, name: jwt } ] }
                """);
        Result rotated = onRuntime("rotate", "--manifest", manifest.toString()).run();
        assertEquals(0, rotated.exit(), rotated.all());
        Result status = onRuntime("status", "--manifest", manifest.toString()).run();
        assertEquals(0, status.exit(), status.all());
        assertTrue(!status.all().contains("policy:"), "keys parse back and meet their policy: " + status.all());

        Result sealed = onRuntime("seal", "--public-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
                .stdin("a value").run();
        assertEquals(0, sealed.exit(), sealed.all());
        assertEquals("", sealed.err(), "the sealed box is all the output");
        String boxed = sealed.out().strip();
        assertEquals(32 + 16 + 7, java.util.Base64.getDecoder().decode(boxed).length, "ephemeral key + MAC + value");
    }

    /** The image's entry point: {@code rotor action} with the inputs the runner would set. */
    @Test
    @Order(4)
    void actionValidateRunsOnTheRuntime() throws Exception {
        Result result = onRuntime("action")
                .env(Map.of("INPUT_COMMAND", "validate", "INPUT_MANIFEST", EXAMPLE.toString())).run();
        assertEquals(0, result.exit(), result.all());
    }

    /**
     * The Dockerfile's AppCDS step (src/main/docker/cds-archive on the example, in a copy); the archive maps, and
     * validate and status of the example, and validate of it outside the YAML subset, load every class from it (the archive is trained on them: a class read
     * from the jar is parsed and verified at every start).
     */
    @Test
    @Order(5)
    void cdsArchiveIsUsable() throws Exception {
        deleteTree(CDS_ARCHIVE.getParent());
        Path training = CDS_ARCHIVE.resolveSibling("training");
        Files.createDirectories(training);
        Files.copy(EXAMPLE, training.resolve("rotation.yml"));
        Files.copy(EXAMPLE.resolveSibling("user-provided.env"), training.resolve("user-provided.env"));
        Result made = RotorJar.program("sh", "src/main/docker/cds-archive",
                RUNTIME.resolve("bin/java").toAbsolutePath().toString(), RotorJar.JAR.toAbsolutePath().toString(),
                CDS_ARCHIVE.toAbsolutePath().toString(), training.toAbsolutePath().toString())
                .timeout(Duration.ofMinutes(5)).run();
        assertEquals(0, made.exit(), made.all());
        // validate and status of the example; validate of a manifest outside YamlSubset's subset (SnakeYAML's path)
        for (List<String> run : List.of(List.of("validate", "rotation.yml"), List.of("status", "rotation.yml"),
                List.of("validate", "snakeyaml.yml"))) {
            Result forced = onRuntime(run.get(0), "--manifest", training.resolve(run.get(1)).toString())
                    .jvm("-XX:SharedArchiveFile=" + CDS_ARCHIVE, "-Xshare:on", "-Xlog:class+load").run();
            assertEquals(0, forced.exit(), "the archive cannot be mapped:\n" + forced.all());
            List<String> fromJar = forced.out().lines().filter(line -> line.contains("source: file:")).toList();
            assertEquals(List.of(), fromJar, run + " loaded classes from the jar, not from the archive");
        }
        System.out.printf("AppCDS archive %.1f MB (timings: bench/run.sh ValidateRotateBenchmark)%n",
                Files.size(CDS_ARCHIVE) / 1e6);
    }

    /** Rotor's jar on the jlinked runtime, outside any GitHub Actions context (so the core writes no outputs). */
    private static RotorJar.Launch onRuntime(String... args) {
        return RotorJar.jar(args).java(RUNTIME.resolve("bin/java"));
    }

    /** A JDK tool of the JDK running the build. */
    private static String tool(String name) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", name);
        assertTrue(Files.isExecutable(tool), "no " + name + " in " + tool.getParent() + ": run the build on a full JDK");
        return tool.toString();
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
