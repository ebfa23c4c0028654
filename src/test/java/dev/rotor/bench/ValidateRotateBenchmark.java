package dev.rotor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Times {@code rotor validate} on a 200-secret manifest and {@code rotor rotate} of those 200 secrets on the local
 * {@code files} and {@code dotenv} stores, each as a separate {@code java -jar target/rotor.jar} process, beside the
 * JVM-start floor; prints wall time (median of interleaved runs), peak heap and peak RSS, the size of the jlinked
 * runtime plus jar, and the targets. Run it with {@code bench/run.sh ValidateRotateBenchmark [options]}.
 *
 * <p>Options: {@code --runs N} (validate and floor runs per variant, default 7), {@code --rotate-runs N} (default 3),
 * {@code --secrets N} (default 200), {@code --jar FILE} (default target/rotor.jar), {@code --runtime DIR} (a jlinked
 * runtime, default target/jlink-runtime, built by {@code mvn verify}; the benchmark makes its CDS archive the way the
 * Dockerfile does), {@code --keep} (keep the work directory).
 *
 * <p>Never prints a secret value: the children's stdout and stderr go to files in the work directory and are never
 * echoed, except {@code validate}'s errors (a manifest holds no values) when validation fails.
 */
public final class ValidateRotateBenchmark {
    private static final double FLOOR_FACTOR_TARGET = 4.0;
    private static final double ROTATE_TARGET_SECONDS = 3.0;
    /** The cloud issue's budget for the jlinked runtime plus the jar, with every SDK in (JlinkRuntimeIT asserts it). */
    private static final double IMAGE_TARGET_MIB = 120.0;
    private static final Pattern GC_BEFORE = Pattern.compile("\\) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern EXIT_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final int runs;
    private final int rotateRuns;
    private final int secrets;
    private final Path jar;
    private final Path runtime;
    /** The image-like archive made for the runtime, once made. */
    private Path runtimeCds;
    private final boolean keep;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Optional<Path> gnuTime = Stream.of(Path.of("/usr/bin/time"))
            .filter(Files::isExecutable).findFirst();
    private final Path work;
    private int sequence;

    /** One way of starting the JVM: a name for the table and the JVM options. */
    record Variant(String name, List<String> jvmOptions) {
    }

    /** One child process: wall time, CPU time (user + sys, -1 unknown), peak RSS (KiB, -1 unknown), exit code. */
    record Run(long nanos, long cpuNanos, long rssKib, int exitCode, Path stdout, Path stderr) {
    }

    /** One row of the results: a figure, its runs, peak heap (KiB, -1 unknown), and its target check. */
    record Row(String figure, List<Run> runs, long heapKib, String target, String ratio, String meets) {
    }

    private ValidateRotateBenchmark(Map<String, String> options) throws IOException {
        runs = Integer.parseInt(options.getOrDefault("--runs", "7"));
        rotateRuns = Integer.parseInt(options.getOrDefault("--rotate-runs", "3"));
        secrets = Integer.parseInt(options.getOrDefault("--secrets", "200"));
        jar = Path.of(options.getOrDefault("--jar", "target/rotor.jar")).toAbsolutePath();
        runtime = Path.of(options.getOrDefault("--runtime", "target/jlink-runtime")).toAbsolutePath();
        keep = options.containsKey("--keep");
        work = Files.createTempDirectory("rotor-bench-");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--keep")) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("unknown argument " + args[i]
                        + "; options: --runs N --rotate-runs N --secrets N --jar FILE --runtime DIR --keep");
                System.exit(2);
            }
        }
        ValidateRotateBenchmark benchmark = new ValidateRotateBenchmark(options);
        boolean ok = false;
        try {
            benchmark.run();
            ok = true;
        } finally {
            if (ok && !benchmark.keep) {
                deleteTree(benchmark.work);
            } else {
                System.out.println("work directory kept: " + benchmark.work);
            }
        }
    }

    private void run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B -q -DskipTests package");
        }
        Path manifest = work.resolve("validate").resolve("rotation.yml");
        writeManifest(manifest);
        Path noopClasses = Path.of(Noop.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        System.out.println("Rotor validate/rotate benchmark: " + secrets + " secrets, " + runs + " runs per variant ("
                + rotateRuns + " for rotate), interleaved; child JVM " + java);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", load average "
                + loadAverage() + "; " + childJavaVersion());
        System.out.println("manifest: " + describeManifest() + "; work directory " + work
                + " (" + fileSystemOf(work) + ")");

        // A CDS archive of the application's classes, recorded at the exit of one rotate (a superset of validate).
        Path archive = work.resolve("rotor.jsa");
        Path training = copyManifest("train");
        requireSuccess(runRotor(List.of("-XX:ArchiveClassesAtExit=" + archive), "rotate", training),
                "rotate (CDS training run)");
        boolean archiveUsable = Files.isRegularFile(archive) && runRotor(
                List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive), "validate", manifest).exitCode() == 0;
        List<String> cds = archiveUsable ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
        if (!archiveUsable) {
            System.out.println("warning: the CDS archive could not be created or mapped; CDS rows run without it");
        }
        List<String> c1 = List.of("-XX:TieredStopAtLevel=1");

        // The floor: a JVM that starts and stops (a class-path main class doing nothing), and `java -version`.
        List<String> noop = List.of("-cp", noopClasses.toString(), Noop.class.getName());
        List<Run> floorNoop = new ArrayList<>();
        List<Run> floorVersion = new ArrayList<>();
        List<Variant> validateVariants = List.of(
                new Variant("validate, plain jar", List.of()),
                new Variant("validate, AppCDS", cds),
                new Variant("validate, AppCDS + C1 only", concat(cds, c1)),
                new Variant("validate, AppCDS + C1 + SerialGC", concat(cds, concat(c1, List.of("-XX:+UseSerialGC")))));
        Map<Variant, List<Run>> validateRuns = new LinkedHashMap<>();
        validateVariants.forEach(v -> validateRuns.put(v, new ArrayList<>()));

        // Warm the file cache (jar, JDK modules) before anything is timed.
        runChild(List.of(java.toString(), "-version"), work);
        runRotor(List.of(), "validate", manifest);

        System.out.print("validate and floor runs:");
        for (int r = 0; r < runs; r++) {
            floorNoop.add(requireSuccess(runChild(concat(List.of(java.toString()), noop), work), "Noop"));
            floorVersion.add(requireSuccess(runChild(List.of(java.toString(), "-version"), work), "java -version"));
            for (Variant variant : validateVariants) {
                validateRuns.get(variant).add(requireValid(runRotor(variant.jvmOptions(), "validate", manifest)));
            }
            System.out.print(" " + (r + 1));
            System.out.flush();
        }
        System.out.println();
        double floor = medianWall(floorNoop);

        List<Row> rows = new ArrayList<>();
        rows.add(new Row("JVM-start floor: java -cp <dir> Noop", floorNoop, heap(noop, work), "", "1.0x", ""));
        rows.add(new Row("java -version", floorVersion, heap(List.of("-version"), work), "",
                ratio(medianWall(floorVersion), floor), ""));
        for (Variant variant : validateVariants) {
            double value = medianWall(validateRuns.get(variant));
            rows.add(new Row(variant.name(), validateRuns.get(variant),
                    heap(rotorArgs(variant.jvmOptions(), "validate", manifest), manifest.getParent()),
                    "<= " + fmt(FLOOR_FACTOR_TARGET) + "x floor", ratio(value, floor),
                    value <= FLOOR_FACTOR_TARGET * floor ? "yes" : "no"));
        }

        // The jlinked runtime users actually pull (when the packaging test has built it), with the static CDS archive
        // the Dockerfile makes (src/main/docker/cds-archive on a copy of examples/local), run with -Xshare:on so that
        // an archive that does not map fails loudly instead of silently timing a run without it.
        boolean haveRuntime = Files.isDirectory(runtime) && Files.isExecutable(runtime.resolve("bin/java"));
        if (haveRuntime) {
            Path runtimeJava = runtime.resolve("bin/java");
            Path runtimeArchive = work.resolve("runtime.jsa");
            Path example = Files.createDirectories(work.resolve("train-runtime"));
            for (String file : List.of("rotation.yml", "user-provided.env")) {
                Files.copy(Path.of("examples/local", file), example.resolve(file));
            }
            requireSuccess(runChild(List.of("sh", Path.of("src/main/docker/cds-archive").toAbsolutePath().toString(),
                    runtimeJava.toString(), jar.toString(),
                    runtimeArchive.toString(), example.toString()), work), "the image's CDS archive on the runtime");
            // The image's entry point (src/main/docker/rotor) for a read-only command.
            List<String> jvm = List.of("-Xshare:on", "-XX:SharedArchiveFile=" + runtimeArchive, "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-XX:-UsePerfData");
            List<Run> times = new ArrayList<>();
            List<Run> runtimeFloor = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                runtimeFloor.add(runChild(concat(List.of(runtimeJava.toString()), noop), work));
                times.add(requireValid(runRotorWith(runtimeJava, jvm, "validate", manifest)));
            }
            rows.add(new Row("jlink runtime floor: Noop (no CDS)", runtimeFloor, -1, "",
                    ratio(medianWall(runtimeFloor), floor), ""));
            double value = medianWall(times);
            rows.add(new Row("validate, image: runtime + CDS + C1 + SerialGC", times, -1,
                    "<= " + fmt(FLOOR_FACTOR_TARGET) + "x floor", ratio(value, floor),
                    value <= FLOOR_FACTOR_TARGET * floor ? "yes" : "no"));
            runtimeCds = runtimeArchive;
        }

        // rotate: every run starts from a fresh copy of the manifest with no state; a second rotate of the same
        // state then measures a routine rotation (existing values: backups, previous values, rewritten .env).
        List<Variant> rotateVariants = List.of(
                new Variant("rotate " + secrets + ", plain jar, fresh state", List.of()),
                new Variant("rotate " + secrets + ", AppCDS (C1+C2), fresh state", cds),
                new Variant("rotate " + secrets + ", AppCDS + C1 only, fresh state", concat(cds, c1)));
        Variant again = new Variant("rotate " + secrets + ", AppCDS (C1+C2), again (backups)", cds);
        Map<Variant, List<Run>> rotateRunsBy = new LinkedHashMap<>();
        rotateVariants.forEach(v -> rotateRunsBy.put(v, new ArrayList<>()));
        rotateRunsBy.put(again, new ArrayList<>());
        System.out.print("rotate runs:");
        for (int r = 0; r < rotateRuns; r++) {
            for (Variant variant : rotateVariants) {
                Path fresh = copyManifest("rotate");
                rotateRunsBy.get(variant).add(requireSuccess(runRotor(variant.jvmOptions(), "rotate", fresh),
                        "rotate"));
                if (variant.jvmOptions().equals(again.jvmOptions())) {
                    rotateRunsBy.get(again).add(requireSuccess(runRotor(again.jvmOptions(), "rotate", fresh),
                            "rotate again"));
                }
                deleteTree(fresh.getParent());
            }
            System.out.print(" " + (r + 1));
            System.out.flush();
        }
        System.out.println();
        for (Map.Entry<Variant, List<Run>> entry : rotateRunsBy.entrySet()) {
            Variant variant = entry.getKey();
            double seconds = medianWall(entry.getValue()) / 1e9;
            Path fresh = copyManifest("rotate-heap");
            if (variant == again) {
                requireSuccess(runRotor(variant.jvmOptions(), "rotate", fresh), "rotate");
            }
            long heap = heap(rotorArgs(variant.jvmOptions(), "rotate", fresh), fresh.getParent());
            deleteTree(fresh.getParent());
            boolean target = variant != again;
            rows.add(new Row(variant.name(), entry.getValue(), heap,
                    target ? "< " + fmt(ROTATE_TARGET_SECONDS) + " s" : "",
                    target ? ratio(seconds, ROTATE_TARGET_SECONDS) + " of target" : "",
                    target ? (seconds < ROTATE_TARGET_SECONDS ? "yes" : "no") : ""));
        }

        if (haveRuntime) {
            double runtimeMib = treeSize(runtime) / 1048576.0;
            double jarMib = Files.size(jar) / 1048576.0;
            double total = runtimeMib + jarMib;
            rows.add(new Row(String.format(Locale.ROOT, "image: jlink runtime %.1f + jar %.1f MiB", runtimeMib,
                    jarMib), null, -1, "< " + fmt(IMAGE_TARGET_MIB) + " MiB", String.format(Locale.ROOT,
                    "%.1f MiB = ", total) + ratio(total, IMAGE_TARGET_MIB) + " of target",
                    total < IMAGE_TARGET_MIB ? "yes" : "no"));
            if (runtimeCds != null && Files.isRegularFile(runtimeCds)) {
                double withCds = total + Files.size(runtimeCds) / 1048576.0;
                rows.add(new Row(String.format(Locale.ROOT, "image + its CDS archive %.1f MiB (apparent size)",
                        Files.size(runtimeCds) / 1048576.0), null, -1, "< " + fmt(IMAGE_TARGET_MIB) + " MiB",
                        String.format(Locale.ROOT, "%.1f MiB = ", withCds) + ratio(withCds, IMAGE_TARGET_MIB)
                                + " of target", withCds < IMAGE_TARGET_MIB ? "yes" : "no"));
            }
        } else {
            rows.add(new Row(String.format(Locale.ROOT, "image: no jlink runtime at %s (jar alone %.1f MiB)",
                    runtime, Files.size(jar) / 1048576.0), null, -1, "< " + fmt(IMAGE_TARGET_MIB) + " MiB", "n/a",
                    "n/a"));
        }

        print(rows, floor);
        System.out.println("classes loaded (plain jar): validate " + classSummary("validate", manifest)
                + "; rotate " + classSummary("rotate", copyManifest("classes")));
        System.out.println("load average after: " + loadAverage() + (archiveUsable
                ? "; AppCDS archive " + String.format(Locale.ROOT, "%.1f MiB", Files.size(archive) / 1048576.0)
                + " (recorded with -XX:ArchiveClassesAtExit on one rotate)" : ""));
    }

    // ---- the manifest

    /** A mix like real manifests: mostly passwords and random bytes, some UUIDs and JWT keys, a few key pairs. */
    private void writeManifest(Path manifest) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # Generated by dev.rotor.bench.ValidateRotateBenchmark
                version: 1
                stores:
                  keys:
                    type: files
                    directory: state/keys
                    keep-backups: 2
                  app-env:
                    type: dotenv
                    path: state/app.env
                secrets:
                """);
        for (int i = 0; i < secrets; i++) {
            String id = String.format(Locale.ROOT, "s%03d", i);
            String kind = kindOf(i);
            String generate = switch (kind) {
                case "rsa" -> "{ type: rsa, bits: 2048 }";
                case "ec" -> i % 40 == 7 ? "{ type: ec, curve: P-384 }" : "{ type: ec, curve: P-256 }";
                case "ed25519" -> "{ type: ed25519 }";
                case "password" -> i % 3 == 0 ? "{ type: password, length: 32 }"
                        : "{ type: password, length: " + (24 + i % 17) + ", classes: [lower, upper, digits], "
                        + "exclude: \"lIO01\" }";
                case "bytes-base64" -> "{ type: bytes, length: 48, encoding: base64 }";
                case "bytes-hex" -> "{ type: bytes, length: 32, encoding: hex }";
                case "bytes-base64url" -> "{ type: bytes, length: 64, encoding: base64url }";
                case "uuid" -> "{ type: uuid }";
                case "jwt" -> "{ type: jwt-hmac, algorithm: HS512 }";
                default -> throw new IllegalStateException(kind);
            };
            String env = id.toUpperCase(Locale.ROOT);
            yaml.append("  ").append(id).append('-').append(kind).append(":\n")
                    .append("    generate: ").append(generate).append('\n')
                    .append("    max-age: ").append(i % 2 == 0 ? "90d" : "30d").append('\n')
                    .append("    targets:\n")
                    .append("      - { store: keys, name: ").append(id).append('-').append(kind)
                    .append(kind.equals("rsa") || kind.equals("ec") || kind.equals("ed25519") ? ".pem" : ".txt")
                    .append(" }\n");
            if (kind.equals("password") && i % 2 == 0) {
                yaml.append("      - { store: app-env, name: ").append(env).append("_DATABASE_URL, value: ")
                        .append("\"postgresql://app").append(i).append(":${secret.url}@db-").append(i)
                        .append(":5432/app?sslmode=require\" }\n");
            } else if (kind.equals("bytes-base64") || kind.equals("uuid")) {
                yaml.append("      - { store: app-env, name: ").append(env).append("_SECRET }\n");
            } else if (kind.equals("jwt")) {
                yaml.append("      - { store: app-env, name: ").append(env).append("_JWT_KEY_B64, value: ")
                        .append("\"${secret.base64}\" }\n");
            }
        }
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, yaml.toString(), StandardCharsets.UTF_8);
    }

    private String kindOf(int i) {
        if (i == 50 || i == 120 || i == 190) {
            return "rsa";
        }
        if (i % 20 == 7) {
            return "ec";
        }
        if (i % 20 == 13) {
            return "ed25519";
        }
        return switch (i % 10) {
            case 0, 1, 2, 3, 4 -> "password";
            case 5 -> "bytes-base64";
            case 6 -> "bytes-hex";
            case 7 -> "uuid";
            case 8 -> "jwt";
            default -> "bytes-base64url";
        };
    }

    private String describeManifest() throws IOException {
        Map<String, Long> kinds = new TreeMap<>();
        for (int i = 0; i < secrets; i++) {
            kinds.merge(kindOf(i), 1L, Long::sum);
        }
        String text = Files.readString(work.resolve("validate/rotation.yml"));
        long derived = text.lines().filter(l -> l.contains("store: app-env")).count();
        return kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")) + "; " + secrets + " files targets + " + derived
                + " dotenv targets";
    }

    private Path copyManifest(String prefix) throws IOException {
        Path directory = work.resolve(prefix + "-" + (++sequence));
        Files.createDirectories(directory);
        return Files.copy(work.resolve("validate/rotation.yml"), directory.resolve("rotation.yml"));
    }

    // ---- children

    private List<String> rotorArgs(List<String> jvmOptions, String command, Path manifest) {
        List<String> args = new ArrayList<>(jvmOptions);
        args.addAll(List.of("-jar", jar.toString(), command, "-m", manifest.toString()));
        return args;
    }

    private Run runRotor(List<String> jvmOptions, String command, Path manifest)
            throws IOException, InterruptedException {
        return runRotorWith(java, jvmOptions, command, manifest);
    }

    private Run runRotorWith(Path javaBinary, List<String> jvmOptions, String command, Path manifest)
            throws IOException, InterruptedException {
        return runChild(concat(List.of(javaBinary.toString()), rotorArgs(jvmOptions, command, manifest)),
                manifest.getParent());
    }

    /**
     * Runs one child with its output in files. With GNU time installed the child runs under it (the floor too, so
     * the few hundred microseconds it adds cancel out), which also yields CPU time and peak RSS.
     */
    private Run runChild(List<String> command, Path directory) throws IOException, InterruptedException {
        int n = ++sequence;
        Path logs = work.resolve("logs");
        Path out = logs.resolve(n + ".out");
        Path err = logs.resolve(n + ".err");
        Path usage = logs.resolve(n + ".time");
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        gnuTime.ifPresent(time -> cmd.addAll(List.of(time.toString(), "-f", "%U %S %M", "-o", usage.toString())));
        cmd.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // No GitHub Actions behaviour (::add-mask:: lines, step summary), no injected JVM options.
        builder.environment().keySet().removeIf(k -> k.startsWith("GITHUB_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        long start = System.nanoTime();
        Process process = builder.start();
        int code = process.waitFor();
        long nanos = System.nanoTime() - start;
        long cpu = -1;
        long rss = -1;
        if (Files.isRegularFile(usage)) {
            List<String> lines = Files.readAllLines(usage);
            String[] last = lines.isEmpty() ? new String[0] : lines.get(lines.size() - 1).strip().split(" ");
            if (last.length == 3 && last[2].matches("\\d+")) {
                cpu = Math.round((Double.parseDouble(last[0]) + Double.parseDouble(last[1])) * 1e9);
                rss = Long.parseLong(last[2]);
            }
        }
        return new Run(nanos, cpu, rss, code, out, err);
    }

    private Run requireSuccess(Run run, String what) {
        if (run.exitCode() != 0) {
            // rotate's output is designed never to hold values, but a benchmark does not echo it: keep the files.
            throw new IllegalStateException(what + " exited " + run.exitCode() + "; its output is in " + run.stderr()
                    + " and " + run.stdout() + " (not echoed)");
        }
        return run;
    }

    /** validate's errors name manifest keys and positions only (the manifest holds no values): safe to echo. */
    private Run requireValid(Run run) throws IOException {
        if (run.exitCode() != 0) {
            System.out.println(Files.readString(run.stderr()));
            throw new IllegalStateException("validate exited " + run.exitCode());
        }
        return run;
    }

    /**
     * Peak heap of one extra, untimed run: the largest "used" figure seen, i.e. the heap before each collection
     * ({@code -Xlog:gc}: "24M->3M(256M)") and at exit ({@code -Xlog:gc+heap+exit}, the sum of the generations);
     * without a collection the exit figure is the peak. In KiB, -1 when the log has neither.
     */
    private long heap(List<String> javaArgs, Path directory) throws IOException, InterruptedException {
        Path gcLog = work.resolve("gc-" + (++sequence) + ".log");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xlog:gc,gc+heap+exit:file=" + gcLog));
        cmd.addAll(javaArgs);
        requireSuccess(runChild(cmd, directory), "heap probe");
        long heap = -1;
        long exitUsed = 0;
        boolean sawExit = false;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher before = GC_BEFORE.matcher(line);
            if (before.find()) {
                heap = Math.max(heap, kib(before.group(1), before.group(2)));
            }
            Matcher used = EXIT_USED.matcher(line);
            if (line.contains("gc,heap,exit") && used.find()) {
                exitUsed += Long.parseLong(used.group(2));
                sawExit = true;
            }
        }
        return sawExit ? Math.max(heap, exitUsed) : heap;
    }

    /** Classes loaded by one plain-jar run, and how many came from the JDK's default CDS archive. */
    private String classSummary(String command, Path manifest) throws IOException, InterruptedException {
        Path log = work.resolve("classes-" + command + ".log");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xlog:class+load=info:file=" + log));
        cmd.addAll(rotorArgs(List.of(), command, manifest));
        requireSuccess(runChild(cmd, manifest.getParent()), command + " (class log)");
        List<String> lines = Files.readAllLines(log);
        long shared = lines.stream().filter(l -> l.contains("shared objects file")).count();
        Map<String, Long> byGroup = new TreeMap<>();
        for (String line : lines) {
            int at = line.indexOf("] ");
            if (at < 0) {
                continue;
            }
            String name = line.substring(at + 2).split(" ", 2)[0];
            byGroup.merge(group(name), 1L, Long::sum);
        }
        String top = byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return lines.size() + " (" + shared + " from the JDK's CDS archive; " + top + ")";
    }

    private static String group(String className) {
        String[][] groups = {
                {"java.", "javax.", "jdk.", "sun.", "com.sun."}, {"com.fasterxml.jackson."}, {"org.yaml.snakeyaml."},
                {"picocli."}, {"org.bouncycastle."}, {"com.networknt."}, {"dev.rotor."}, {"org.kohsuke."},
                {"io.jsonwebtoken."}};
        String[] names = {"JDK", "Jackson", "SnakeYAML", "picocli", "BouncyCastle", "json-schema-validator",
                "rotor", "github-api", "jjwt"};
        for (int g = 0; g < groups.length; g++) {
            for (String prefix : groups[g]) {
                if (className.startsWith(prefix)) {
                    return names[g];
                }
            }
        }
        return className.contains("$$Lambda") || className.contains("LambdaForm") ? "lambdas" : "other";
    }

    private String childJavaVersion() throws IOException, InterruptedException {
        Run run = runChild(List.of(java.toString(), "-version"), work);
        return Files.readAllLines(run.stderr()).stream().map(String::strip).collect(Collectors.joining(" / "));
    }

    // ---- output

    private void print(List<Row> rows, double floor) {
        String[] header = {"figure", "wall median", "wall min-max", "CPU median", "peak heap", "peak RSS", "target",
                "ratio", "meets"};
        List<String[]> cells = new ArrayList<>();
        cells.add(header);
        for (Row row : rows) {
            List<Run> runs = row.runs() == null ? List.of() : row.runs();
            List<Long> wall = runs.stream().map(Run::nanos).toList();
            List<Long> cpu = runs.stream().map(Run::cpuNanos).filter(c -> c >= 0).toList();
            List<Long> rss = runs.stream().map(Run::rssKib).filter(k -> k >= 0).toList();
            cells.add(new String[] {
                    row.figure(),
                    wall.isEmpty() ? "" : millis(median(wall)),
                    wall.isEmpty() ? "" : millis(min(wall)) + "-" + millis(max(wall)),
                    cpu.isEmpty() ? "" : millis(median(cpu)),
                    row.heapKib() < 0 ? "" : mib(row.heapKib()),
                    rss.isEmpty() ? "" : mib(Math.round(max(rss))),
                    row.target(), row.ratio(), row.meets()});
        }
        int[] widths = new int[header.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        System.out.println();
        for (int l = 0; l < cells.size(); l++) {
            StringBuilder out = new StringBuilder("| ");
            for (int c = 0; c < header.length; c++) {
                String cell = cells.get(l)[c];
                out.append(c == 0 || c >= 6 ? pad(cell, widths[c]) : padLeft(cell, widths[c])).append(" | ");
            }
            System.out.println(out.toString().stripTrailing());
            if (l == 0) {
                System.out.println("|" + Arrays.stream(widths).mapToObj(w -> "-".repeat(w + 2))
                        .collect(Collectors.joining("|")) + "|");
            }
        }
        System.out.println();
        System.out.println("ratio: validate rows against the floor's wall median (" + millis(floor)
                + "); rotate rows and the image against their targets. CPU = user + sys of the child (GNU time;"
                + " exceeds wall when threads run in parallel). Peak heap = largest used heap in -Xlog:gc and"
                + " -Xlog:gc+heap+exit of one extra untimed run; peak RSS = largest /usr/bin/time %M of the timed runs"
                + (gnuTime.isEmpty() ? " (GNU time not installed: no CPU or RSS)" : "") + "; MiB = 2^20 bytes.");
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }

    // ---- arithmetic and files

    private static double medianWall(List<Run> runs) {
        return median(runs.stream().map(Run::nanos).toList());
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static double min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static double max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String millis(double nanos) {
        return nanos >= 1e9 ? String.format(Locale.ROOT, "%.2f s", nanos / 1e9)
                : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    private static String ratio(double value, double reference) {
        return String.format(Locale.ROOT, "%.1fx", value / reference);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static long kib(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "G" -> n * 1024 * 1024;
            case "M" -> n * 1024;
            default -> n;
        };
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String fileSystemOf(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            return "unknown file system";
        }
    }

    private static long treeSize(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
