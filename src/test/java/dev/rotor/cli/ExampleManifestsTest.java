package dev.rotor.cli;

import dev.rotor.engine.Vocabularies;
import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.manifest.SecretSpec;
import dev.rotor.manifest.StoreSpec;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Rotor manifest under examples/ (a *.yml with {@code version:} and {@code secrets:}; examples/workflows holds
 * GitHub workflows) validates, and plans and dry-runs with the variables it references set to dummy values. The
 * README's and docs/manifest.md's examples are validated by {@link QuickStartTest}; they name hosts that do not exist,
 * so they are not planned.
 * <p>
 * A secret whose owner is a server (PostgreSQL, Redis) cannot be planned without it: plan's preflight logs in. The
 * test does not depend on what happens to listen on localhost: it points those stores at a port that was just
 * closed and plans each secret on its own. A secret without such an owner must plan (exit 0); one with it must be
 * refused at preflight (exit 4) with the line naming its store and address, and plan nothing after it.
 * <p>
 * A manifest with a cloud store, Vault or a Kubernetes cluster (examples/manifests/mindwell.yml, mutt-zero-downtime.yml,
 * platform-k8s.yml, api-forge-k8s.yml) is validated only: its plan would sign in to the cloud, Vault or the cluster.
 * Its own end-to-end test plans and rotates it against doubles (MindWellEndToEndTest, MuttZeroDowntimeTest,
 * PlatformK8sTest, ApiForgeK8sTest).
 */
class ExampleManifestsTest {
    private static final Path EXAMPLES = Path.of("examples");
    private static final Set<String> SERVER_TYPES = Set.of("postgres", "redis");
    private static final Set<String> CLOUD_TYPES = Set.of("azure-postgres-flexible", "azure-key-vault",
            "azure-app-service", "azure-blob", "aws-secrets-manager", "onepassword", "vault-kv", "kubernetes",
            "external-secrets");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}|variable: *([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern LOCAL_SERVER = Pattern.compile("host: localhost, ([a-z-]*port): \\d+");

    @TempDir
    Path dir;

    static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yml") && !p.startsWith(EXAMPLES.resolve("workflows")))
                    .filter(ExampleManifestsTest::isRotorManifest).sorted().toList();
        }
    }

    private static boolean isRotorManifest(Path file) {
        try {
            String text = Files.readString(file);
            return Pattern.compile("(?m)^version:").matcher(text).find() && Pattern.compile("(?m)^secrets:").matcher(text).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theExamplesAreFound() throws IOException {
        assertEquals(List.of(Path.of("examples/compose/rotation.yml"), Path.of("examples/local/rotation.yml"),
                Path.of("examples/manifests/api-forge-k8s.yml"), Path.of("examples/manifests/mindwell.yml"),
                Path.of("examples/manifests/mutt-zero-downtime.yml"), Path.of("examples/manifests/platform-databases.yml"),
                Path.of("examples/manifests/platform-k8s.yml")), manifests());
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void validatesPlansAndDryRuns(Path example) throws Exception {
        Path manifest = copyWithServersOnAClosedPort(example);
        List<Path> copied = filesUnder(manifest.getParent());
        Map<String, String> env = dummyVariables(Files.readString(manifest));

        RotorRunner.Result validate = RotorRunner.run(env, "validate", "-m", manifest.toString());
        assertEquals(0, validate.exit(), example + ": " + validate.all());
        Manifest model = Vocabularies.load(manifest, env);
        boolean cloud = model.stores().values().stream().anyMatch(store -> CLOUD_TYPES.contains(store.type()));
        for (SecretSpec secret : cloud ? List.<SecretSpec>of() : model.secrets().values()) {
            StoreSpec server = secret.owner() == null ? null : model.stores().get(secret.owner().store());
            for (String command : List.of("plan", "rotate --dry-run")) {
                List<String> args = new ArrayList<>(List.of(command.split(" ")));
                args.addAll(List.of("-m", manifest.toString(), "-s", secret.name()));
                RotorRunner.Result r = RotorRunner.run(env, args.toArray(String[]::new));
                String what = example + " " + command + " -s " + secret.name() + ": ";
                if (server == null || !SERVER_TYPES.contains(server.type())) {
                    assertEquals(0, r.exit(), what + r.all());
                    assertTrue(r.out().contains(secret.name() + ": "), what + r.out());
                } else {
                    assertEquals(4, r.exit(), what + r.all());
                    assertEquals(List.of("error: " + secret.name() + ": preflight: " + refusal(server, secret)),
                            r.err().lines().toList(), what);
                    assertEquals("summary: refused 1", r.out().strip(), what);
                }
            }
        }
        assertEquals(copied, filesUnder(manifest.getParent()), "plan and dry run write nothing");
    }

    /** What each server's owner says when nothing listens on its port. */
    private static String refusal(StoreSpec server, SecretSpec secret) {
        Map<String, Object> at = server.settings();
        String user = String.valueOf(secret.owner().options().get("user"));
        return switch (server.type()) {
            case "postgres" -> "postgres store '" + server.name() + "' (127.0.0.1:" + at.get("port") + "/"
                    + at.get("database") + "): preflight (admin '" + at.get("user") + "' checks role '" + user
                    + "'): server unreachable or busy (SQLState 08001)";
            case "redis" -> "store '" + server.name() + "' (redis 127.0.0.1:" + at.get("port") + "): connect for user '"
                    + user + "' failed (the server is unreachable or did not answer) (check host, port and tls, and"
                    + " that this machine can reach the server)";
            default -> throw new AssertionError("no refusal known for " + server.type());
        };
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** A copy of the example's folder; stores on localhost point at a port nothing listens on. */
    private Path copyWithServersOnAClosedPort(Path example) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(example.getParent().getFileName()));
        try (Stream<Path> files = Files.list(example.getParent())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        Path manifest = folder.resolve(example.getFileName());
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String text = LOCAL_SERVER.matcher(Files.readString(manifest)).replaceAll("host: 127.0.0.1, $1: " + closed);
        Files.writeString(manifest, text);
        Manifest model = Vocabularies.load(manifest, dummyVariables(text));
        for (StoreSpec store : model.stores().values()) {
            if (SERVER_TYPES.contains(store.type())) {
                assertEquals("127.0.0.1", Bindings.of(model, model.environmentsFor(null).get(0), dummyVariables(text))
                        .render(store.settings().get("host").toString()), example + ": store '" + store.name()
                        + "' would reach a real server; teach this test its host");
            }
        }
        return manifest;
    }

    /** Every {@code ${env:NAME}} and provided {@code variable:} of the manifest, set to a dummy value. */
    private static Map<String, String> dummyVariables(String text) {
        Map<String, String> env = new HashMap<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            env.put(name, "dummy-" + name.toLowerCase(Locale.ROOT) + "-value");
        }
        return env;
    }
}
