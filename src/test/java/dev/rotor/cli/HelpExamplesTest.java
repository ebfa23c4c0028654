package dev.rotor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example command line rotor's help prints ({@code rotor --help}'s "Examples:" and each command's
 * "Example:"/"Examples:") is taken from that help and run exactly as printed: by a shell, so that its words are
 * split and its redirect honoured as a user's shell would, in the folder of a user's manifest, with {@code rotor}
 * on the PATH. A JVM cannot change its working directory, and the examples name files relative to it
 * ({@code rotation.yml}, {@code r.json}), so each runs as its own process: a launcher runs {@link Rotor} from the
 * test class path (the jar does not exist yet when unit tests run). The dead runs the examples finish are made
 * in-process, where the test's crash hook and clock reach the engine.
 */
class HelpExamplesTest {
    /** The examples each help prints: a new one fails here until the story below runs it and checks its result. */
    private static final Map<String, Integer> EXAMPLES_PER_HELP = Map.of("rotor", 6, "validate", 1, "plan", 1,
            "rotate", 6, "status", 3, "rollback", 1, "repair", 1, "schema", 1, "seal", 0);
    /** {@code rotor ARGS}, after "Example: " or indented, optionally followed by two or more spaces and a comment. */
    private static final Pattern EXAMPLE = Pattern.compile("^(?:Example: | {2})(rotor .+?)(?: {2,}\\S.*)?$");
    /** A command listed under "Commands:" in {@code rotor --help}. */
    private static final Pattern COMMAND = Pattern.compile("^ {2}([a-z]+) {2,}\\S");

    /** The folder of the user's project: the manifest, and where every example runs. */
    @TempDir
    Path dir;
    /** The {@code rotor} launcher and the captured output of each run, kept out of the user's folder. */
    @TempDir
    Path tools;

    private final Map<String, List<String>> examples = examplesFromHelp();
    private final Set<String> ran = new LinkedHashSet<>();

    record Ran(String line, int exit, String out, String err) {
        String all() {
            return line + "\n" + out + err;
        }
    }

    @Test
    void everyHelpPrintsTheExamplesThisTestRuns() {
        Map<String, Integer> counts = new TreeMap<>();
        examples.forEach((help, lines) -> counts.put(help, lines.size()));
        assertEquals(new TreeMap<>(EXAMPLES_PER_HELP), counts, "examples per help: " + examples);
    }

    @Test
    void everyExampleRunsAsPrintedOnAUsersManifest() throws Exception {
        Files.copy(Path.of("src/test/resources/help-examples/rotation.yml"), dir.resolve("rotation.yml"));
        launcher();
        // The project has used Rotor for a while: every secret was last rotated 100 days ago, so all are due.
        assertEquals(0, inProcess(Clock.offset(Clock.systemUTC(), Duration.ofDays(-100)), StepHook.NONE).exit());
        Map<String, String> before = userFiles();

        for (String help : List.of("validate", "rotor")) {
            Ran valid = example(help, "rotor validate -m rotation.yml");
            assertLines(valid, 0, "rotation.yml: valid (3 secrets, 2 stores, 2 environments, 0 warnings)");
        }
        Ran schema = example("schema", "rotor schema > rotation.schema.json");
        assertLines(schema, 0);
        assertEquals(Files.readString(Path.of("schema/rotation.schema.json")),
                Files.readString(dir.resolve("rotation.schema.json")), "the schema a user gets is the committed one");
        Files.delete(dir.resolve("rotation.schema.json"));
        for (String help : List.of("plan", "rotor")) {
            Ran plan = example(help, "rotor plan -m rotation.yml -e prod");
            assertLines(plan, 0,
                    "db-password (prod): generate -> 2 targets, 0 checks; journal "
                            + "secrets:.rotor/journal/db-password.prod.json",
                    "  would write secrets:db-password.txt",
                    "  would write app-env:DATABASE_URL (derived)",
                    "postgres-admin-password (prod): generate -> 1 target, 0 checks; journal "
                            + "secrets:.rotor/journal/postgres-admin-password.prod.json",
                    "  would write secrets:postgres-admin-password.txt",
                    "jwt-keys (prod): generate -> 2 targets, 0 checks; journal "
                            + "secrets:.rotor/journal/jwt-keys.prod.json",
                    "  would write secrets:{kid}.key",
                    "  would write app-env:JWT_ACTIVE_KEY_ID (derived)",
                    "  next kid: jwt-keys-v2 (replacing jwt-keys-v1, kept 1d after it)",
                    "summary: planned 3");
        }
        Ran status = example("status", "rotor status -m rotation.yml");
        assertEquals(0, status.exit(), status.all());
        assertEquals(List.of(
                "db-password (dev): 100.0 days old, DUE",
                "  secrets:db-password.txt: updated T",
                "  app-env:DATABASE_URL: updated T",
                "postgres-admin-password (dev): 100.0 days old, DUE",
                "  secrets:postgres-admin-password.txt: updated T",
                "jwt-keys (dev): 100.0 days old, DUE",
                "  secrets:jwt-keys-v1.key: updated T",
                "  app-env:JWT_ACTIVE_KEY_ID: updated T",
                "db-password (prod): 100.0 days old, DUE",
                "  secrets:db-password.txt: updated T",
                "  app-env:DATABASE_URL: updated T",
                "postgres-admin-password (prod): 100.0 days old, DUE",
                "  secrets:postgres-admin-password.txt: updated T",
                "jwt-keys (prod): 100.0 days old, DUE",
                "  secrets:jwt-keys-v1.key: updated T",
                "  app-env:JWT_ACTIVE_KEY_ID: updated T"),
                status.out().lines().map(l -> l.replaceAll("updated \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$", "updated T"))
                        .toList(), status.all());
        Ran metrics = example("rotor", "rotor status --format prometheus");
        assertEquals(0, metrics.exit(), metrics.all());
        assertMetrics(metrics, "secret", "secret_age_days", "100.000");
        assertMetrics(metrics, "secret", "secret_rotation_due", "1");
        assertMetrics(metrics, "secret", "secret_rotation_pending", "0");
        assertEquals(before, userFiles(), "validate, schema, plan and status write nothing to the project");

        assertLines(example("rotor", "rotor rotate -m rotation.yml -e dev"), 0,
                "db-password (dev): rotated; targets: 2 written",
                "postgres-admin-password (dev): rotated; targets: 1 written",
                "jwt-keys (dev): rotated; targets: 2 written",
                "summary: rotated 3");
        Ran due = example("rotor", "rotor rotate --only-due --report r.json");
        assertLines(due, 0,
                "db-password (dev): not due",
                "postgres-admin-password (dev): not due",
                "jwt-keys (dev): not due",
                "db-password (prod): rotated; targets: 2 written",
                "postgres-admin-password (prod): rotated; targets: 1 written",
                "jwt-keys (prod): rotated; targets: 2 written",
                "summary: rotated 3 not due 3");
        assertEquals(List.of("db-password dev not_due", "postgres-admin-password dev not_due", "jwt-keys dev not_due",
                "db-password prod rotated", "postgres-admin-password prod rotated", "jwt-keys prod rotated"),
                reportUnits(), "the report of the due run");
        Ran labelled = example("status", "rotor status --format prometheus --label secret=secret_name");
        assertEquals(0, labelled.exit(), labelled.all());
        assertMetrics(labelled, "secret_name", "secret_age_days", "0.000");
        assertMetrics(labelled, "secret_name", "secret_rotation_due", "0");

        // A scheduled run died an hour ago in db-password (dev), after writing its copies; its lease has expired.
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        assertThrows(RotorRunner.Crash.class, () -> inProcess(anHourAgo, crashAfterDistribute("db-password.dev"),
                "--secret", "db-password", "--environment", "dev", "--run-id", "died-an-hour-ago"));
        String leftPending = json("secrets/dev/.rotor/journal/db-password.dev.json").get("pending").asText();
        Ran audited = example("rotate", "rotor rotate --only-due --audit-log audit.jsonl");
        assertLines(audited, 0,
                "db-password (dev): rotated; targets: 2 unchanged",
                "postgres-admin-password (dev): not due",
                "jwt-keys (dev): not due",
                "db-password (prod): not due",
                "postgres-admin-password (prod): not due",
                "jwt-keys (prod): not due",
                "summary: rotated 1 not due 5");
        assertTrue(audited.err().contains("finishing the unfinished rotation left by run died-an-hour-ago"),
                audited.all());
        assertEquals(leftPending, read("secrets/dev/db-password.txt"), "finished with the journaled value");
        List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertEquals(1, audit.size(), "one line per rotated secret: " + audit);
        JsonNode line = new ObjectMapper().readTree(audit.get(0));
        assertEquals("db-password dev rotated",
                line.path("secret").asText() + " " + line.path("environment").asText() + " "
                        + line.path("outcome").asText(), audit.get(0));

        assertLines(example("rotate", "rotor rotate -m rotation.yml -e dev"), 0,
                "db-password (dev): rotated; targets: 2 written",
                "postgres-admin-password (dev): rotated; targets: 1 written",
                "jwt-keys (dev): rotated; targets: 2 written",
                "summary: rotated 3");
        String prodPassword = read("secrets/prod/db-password.txt");
        assertLines(example("rotate", "rotor rotate --secret db-password --environment prod --report r.json"), 0,
                "db-password (prod): rotated; targets: 2 written",
                "summary: rotated 1");
        assertEquals(List.of("db-password prod rotated"), reportUnits(), "the report of the second run");
        assertFalse(prodPassword.equals(read("secrets/prod/db-password.txt")));
        assertLines(example("rotor", "rotor rollback --secret db-password -e prod"), 0,
                "db-password (prod): rolled back; targets: 2 written",
                "summary: rolled back 1");
        assertEquals(prodPassword, read("secrets/prod/db-password.txt"), "the value from before is back");

        // A run RUN died in postgres-admin-password (prod), after writing its copy; its lease is still live.
        String adminPassword = read("secrets/prod/postgres-admin-password.txt");
        assertThrows(RotorRunner.Crash.class, () -> inProcess(Clock.systemUTC(),
                crashAfterDistribute("postgres-admin-password.prod"),
                "--secret", "postgres-admin-password", "--environment", "prod", "--run-id", "RUN"));
        String deadPending = json("secrets/prod/.rotor/journal/postgres-admin-password.prod.json").get("pending")
                .asText();
        Ran resumed = example("rotate", "rotor rotate --resume --run-id RUN");
        assertLines(resumed, 0,
                "db-password (dev): nothing pending",
                "postgres-admin-password (dev): nothing pending",
                "jwt-keys (dev): nothing pending",
                "db-password (prod): nothing pending",
                "postgres-admin-password (prod): rotated; targets: 1 unchanged",
                "jwt-keys (prod): nothing pending",
                "summary: rotated 1 nothing pending 5");
        assertEquals(deadPending, read("secrets/prod/postgres-admin-password.txt"),
                "finished with the journaled value");
        assertLines(example("rollback", "rotor rollback --secret postgres-admin-password --environment prod"), 0,
                "postgres-admin-password (prod): rolled back; targets: 1 written",
                "summary: rolled back 1");
        assertEquals(adminPassword, read("secrets/prod/postgres-admin-password.txt"), "the value before RUN is back");

        // Every replaced key still works within its grace; an emergency ends them all in this run.
        assertEquals(List.of("jwt-keys-v1.key", "jwt-keys-v2.key", "jwt-keys-v3.key"), keyFiles("dev"));
        assertEquals(List.of("jwt-keys-v1.key", "jwt-keys-v2.key"), keyFiles("prod"));
        Ran emergency = example("rotate", "rotor rotate --secret jwt-keys --emergency --reason INC-42");
        assertEquals(0, emergency.exit(), emergency.all());
        assertTrue(emergency.err().startsWith("run "), emergency.all());
        assertTrue(emergency.err().lines().findFirst().orElseThrow().endsWith("(emergency: no grace; every replaced "
                + "user, password and key stops working in this run)"), emergency.all());
        assertTrue(emergency.out().endsWith("summary: rotated 2\n"), emergency.all());
        assertEquals(List.of("jwt-keys-v4.key"), keyFiles("dev"));
        assertEquals(List.of("jwt-keys-v3.key"), keyFiles("prod"));
        assertEquals("JWT_ACTIVE_KEY_ID=jwt-keys-v3\n", read("prod.env").lines()
                .filter(l -> l.startsWith("JWT_")).collect(Collectors.joining("\n", "", "\n")));

        // db-password has no owner (its database runs elsewhere): there is no login to probe, and each unit says so.
        Ran probe = example("rotate", "rotor rotate --secret db-password --probe");
        assertLines(probe, 0,
                "db-password (dev): rotated; targets: 2 written; probe: not measured: no owner: no login to probe",
                "db-password (prod): rotated; targets: 2 written; probe: not measured: no owner: no login to probe",
                "summary: rotated 2");

        Ran clean = example("status", "rotor status --drift -m rotation.yml");
        assertEquals(0, clean.exit(), clean.all());
        assertEquals(6, clean.out().lines().filter(l -> l.equals("  no drift: every copy holds what Rotor wrote"))
                .count(), clean.all());
        String current = read("secrets/prod/db-password.txt");
        Files.writeString(dir.resolve("secrets/prod/db-password.txt"), "edited-by-hand");
        Ran drift = example("status", "rotor status --drift -m rotation.yml");
        assertEquals(5, drift.exit(), drift.all());
        assertTrue(drift.out().contains("  DRIFT secrets:db-password.txt: differs from what Rotor wrote"), drift.all());
        assertTrue(drift.out().contains(
                "  repair: rotor repair -m rotation.yml --secret db-password --environment prod\n"), drift.all());
        assertLines(example("repair", "rotor repair --secret db-password --environment prod"), 0,
                "db-password (prod): repaired; targets: 1 unchanged, 1 written",
                "summary: repaired 1");
        assertEquals(current, read("secrets/prod/db-password.txt"), "the journaled value, no new one");
        assertEquals(0, example("status", "rotor status --drift -m rotation.yml").exit(), "no drift after the repair");

        Set<String> printed = new LinkedHashSet<>();
        examples.forEach((help, lines) -> lines.forEach(l -> printed.add(help + ": " + l)));
        assertEquals(printed, ran, "every example the help prints was run");
    }

    /** The example lines of {@code rotor --help} and of the help of every command it lists, by help. */
    private static Map<String, List<String>> examplesFromHelp() {
        RotorRunner.Result root = RotorRunner.run(Map.of(), "--help");
        assertEquals(0, root.exit(), root.all());
        Map<String, List<String>> found = new LinkedHashMap<>();
        found.put("rotor", examplesIn(root.out()));
        List<String> lines = root.out().lines().toList();
        for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
            Matcher command = COMMAND.matcher(line);
            if (command.find() && !command.group(1).equals("help")) {
                RotorRunner.Result help = RotorRunner.run(Map.of(), command.group(1), "--help");
                assertEquals(0, help.exit(), help.all());
                found.put(command.group(1), examplesIn(help.out()));
            }
        }
        return found;
    }

    /** The example lines of one help; none may be wrapped, or a user would copy half a command. */
    private static List<String> examplesIn(String help) {
        List<String> lines = help.lines().toList();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher example = EXAMPLE.matcher(lines.get(i));
            if (example.matches()) {
                String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
                assertTrue(next.isEmpty() || next.startsWith(" "), "the help wraps an example: " + lines.get(i)
                        + " / " + next + " (shorten it: help lines are 80 columns)");
                found.add(example.group(1));
            }
        }
        return found;
    }

    /** Runs the example {@code line} of {@code help}'s output as printed, by a shell in the user's folder. */
    private Ran example(String help, String line) throws IOException, InterruptedException {
        List<String> printed = examples.get(help);
        assertTrue(printed != null && printed.contains(line),
                help + " --help no longer prints " + line + ": " + printed);
        ran.add(help + ": " + line);
        ProcessBuilder shell = new ProcessBuilder("sh", "-c", printed.get(printed.indexOf(line)));
        shell.environment().clear();
        shell.environment().put("PATH", tools + ":/usr/bin:/bin");
        shell.environment().put("HOME", tools.toString());
        Path out = tools.resolve("out.log");
        Path err = tools.resolve("err.log");
        Process process = shell.directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), line + " ended within two minutes");
        return new Ran(line, process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * {@code rotor} on the PATH, as the image's entry point installs it: here, Rotor from the class path of this
     * test without the test classes, whose test-only providers a user's rotor does not have.
     */
    private void launcher() throws IOException {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
        Path rotor = tools.resolve("rotor");
        Files.writeString(rotor, "#!/bin/sh\nexec " + quoted(RotorJar.java().toString())
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp " + quoted(classPath) + " " + Rotor.class.getName()
                + " \"$@\"\n");
        assertTrue(rotor.toFile().setExecutable(true));
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code rotor rotate -m DIR/rotation.yml ARGS} in this process, with {@code clock} and {@code hook}. */
    private RotorRunner.Result inProcess(Clock clock, StepHook hook, String... args) {
        List<String> all = new ArrayList<>(List.of("rotate", "-m", dir.resolve("rotation.yml").toString()));
        all.addAll(List.of(args));
        RotorRunner.Result result = RotorRunner.run(Map.of(), clock, hook, all.toArray(String[]::new));
        assertEquals(0, result.exit(), result.all());
        return result;
    }

    private static StepHook crashAfterDistribute(String unit) {
        return (u, step) -> {
            if (u.equals(unit) && step == Step.DISTRIBUTE) {
                throw new RotorRunner.Crash(step.label() + " of " + unit);
            }
        };
    }

    /** One line per unit of the fixture, in run order: {@code line} of its secret and environment. */
    private static List<String> perUnit(BiFunction<String, String, String> line) {
        List<String> lines = new ArrayList<>();
        for (String env : List.of("dev", "prod")) {
            for (String secret : List.of("db-password", "postgres-admin-password", "jwt-keys")) {
                lines.add(line.apply(secret, env));
            }
        }
        return lines;
    }

    /** One line of {@code metric} per unit, labelled {@code secretLabel} and environment, each with {@code value}. */
    private static void assertMetrics(Ran ran, String secretLabel, String metric, String value) {
        assertEquals(perUnit((secret, env) -> metric + "{" + secretLabel + "=\"" + secret + "\",environment=\"" + env
                        + "\"} " + value),
                ran.out().lines().filter(l -> l.startsWith(metric + "{")).toList(), ran.all());
    }

    /** The exit code and stdout, every line of it. */
    private static void assertLines(Ran ran, int exit, String... lines) {
        assertEquals(exit, ran.exit(), ran.all());
        assertEquals(List.of(lines), ran.out().lines().toList(), ran.all());
    }

    private List<String> reportUnits() throws IOException {
        List<String> units = new ArrayList<>();
        json("r.json").path("units").forEach(u -> units.add(u.path("secret").asText() + " "
                + u.path("environment").asText() + " " + u.path("outcome").asText()));
        return units;
    }

    private List<String> keyFiles(String env) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("secrets").resolve(env))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".key")).sorted().toList();
        }
    }

    /** Every file of the user's folder with its content. */
    private Map<String, String> userFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            Map<String, String> contents = new TreeMap<>();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(dir.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
            return contents;
        }
    }

    private String read(String relative) throws IOException {
        return Files.readString(dir.resolve(relative));
    }

    private JsonNode json(String relative) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(relative).toFile());
    }
}
