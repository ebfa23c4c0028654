package dev.rotor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.Forms;
import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Promise 6: full rotations (success, a failed verification, an owner whose library error quotes the value) with
 * every output captured; no generated or derived value appears in any of them in any form, apart from the
 * {@code ::add-mask::} lines the runner consumes, which come first.
 */
class LeakTest {
    private static final String MANIFEST = """
            version: 1
            environments:
              dev: { vars: { host: db-dev } }
            stores:
              keys: { type: files, directory: keys }
              app-env: { type: dotenv, path: app.env }
              db: { type: memory-owner }
              broken-db: { type: memory-owner, fail-with-value: true }
            secrets:
              db-password:
                generate: { type: password, length: 32, classes: [lower, upper, digits, symbols], symbols: "!#%&*+-=?@^_~:/" }
                owner: { store: db, user: app }
                targets:
                  - { store: keys, name: db.txt }
                  - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@${vars.host}/app" }
                  - { store: app-env, name: DATABASE_JSON, value: "{\\"password\\": \\"${secret.json}\\"}" }
              signing-key:
                generate: { type: ed25519 }
                targets:
                  - { store: keys, name: signing.pem }
                  - { store: app-env, name: SIGNING_KEY_B64, value: "${secret.base64}" }
              session-secret:
                generate: { type: bytes, length: 32, encoding: base64 }
                targets:
                  - { store: keys, name: session.txt }
                  - { store: app-env, name: SESSION_HEX, value: "${secret.hex}" }
                verify:
                  - command: 'echo "leaking $V $V" ; echo "$V" >&2; exit 3'
                    env: { V: "${secret}" }
              broken-password:
                generate: { type: password, length: 24 }
                owner: { store: broken-db, user: app }
                targets:
                  - { store: keys, name: broken.txt }
            """;

    @TempDir
    Path dir;

    @Test
    void noValueLeaksInAnyFormIntoAnyOutput() throws IOException {
        MemoryOwnerProvider.reset();
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST);
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_STEP_SUMMARY", dir.resolve("summary.md").toString());
        env.put("GITHUB_OUTPUT", dir.resolve("output.txt").toString());
        env.put("GITHUB_RUN_ID", "77");
        env.put("GITHUB_REPOSITORY", "acme/app");
        env.put("GITHUB_ACTOR", "octocat");
        List<RotorRunner.Result> results = new ArrayList<>();
        for (String secret : List.of("db-password", "signing-key", "session-secret", "broken-password", "db-password")) {
            results.add(RotorRunner.run(env, "rotate", "-m", dir.resolve("rotation.yml").toString(), "-s", secret,
                    "--run-id", secret + results.size(), "--report", dir.resolve("report-" + results.size() + ".json").toString(),
                    "--audit-log", dir.resolve("audit.jsonl").toString()));
        }
        results.add(RotorRunner.run(env, "status", "-m", dir.resolve("rotation.yml").toString(), "--format", "json"));
        results.add(RotorRunner.run(env, "rollback", "-m", dir.resolve("rotation.yml").toString(), "-s", "db-password"));
        assertEquals(List.of(0, 0, 3, 3, 0, 0, 0), results.stream().map(RotorRunner.Result::exit).toList());

        Set<String> values = valuesOnDisk();
        assertTrue(values.size() >= 8, "found the values to look for: " + values.size());
        StringBuilder outputs = new StringBuilder();
        Set<String> masked = new java.util.HashSet<>();
        for (RotorRunner.Result r : results) {
            for (String line : r.out().split("\n")) {
                RunnerCommands.registeredMask(line).ifPresentOrElse(masked::add, () -> outputs.append(line).append('\n'));
            }
            outputs.append(r.err());
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().matches(".*(report-.*\\.json|summary\\.md|output\\.txt|audit\\.jsonl)$")).toList()) {
                outputs.append(Files.readString(p));
            }
        }
        assertTrue(outputs.toString().contains("unexpected IllegalStateException"), "the owner's failure is reported");
        for (String value : values) {
            assertTrue(masked.contains(value.lines().findFirst().orElseThrow()), "every value is announced to the runner");
            for (String form : forms(value)) {
                if (outputs.indexOf(form) >= 0) {
                    fail("a value leaked as " + (form.equals(value) ? "raw" : "an encoded form") + " (length " + form.length() + ") near: "
                            + outputs.substring(Math.max(0, outputs.indexOf(form) - 300), outputs.indexOf(form)));
                }
            }
        }
        for (RotorRunner.Result r : results) {
            List<String> lines = r.out().lines().toList();
            int firstOther = lines.indexOf(lines.stream().filter(l -> !l.startsWith("::add-mask::")).findFirst().orElse(null));
            int lastMask = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("::add-mask::")) {
                    lastMask = i;
                }
            }
            assertFalse(firstOther >= 0 && lastMask > firstOther && lines.get(firstOther).startsWith("::error"),
                    "masks precede the error annotations");
        }
    }

    /** Every value a run produced: the journals' values and every target file and .env entry. */
    private Set<String> valuesOnDisk() throws IOException {
        Set<String> values = new LinkedHashSet<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> walk = Files.walk(dir.resolve("keys"))) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (p.toString().contains("/.rotor/journal/")) {
                    JsonNode j = json.readTree(p.toFile());
                    for (String field : List.of("pending", "current", "previous")) {
                        if (j.hasNonNull(field)) {
                            values.add(j.get(field).asText());
                        }
                    }
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    values.add(Files.readString(p));
                }
            }
        }
        for (String line : Files.readAllLines(dir.resolve("app.env"))) {
            values.add(line.substring(line.indexOf('=') + 1).replaceAll("^\"|\"$", ""));
        }
        values.removeIf(String::isEmpty);
        return values;
    }

    /** The forms of design.md's promise 6 long enough to tell from ordinary text, computed independently of Rotor. */
    static List<String> forms(String value) {
        return Forms.of(value).stream().filter(form -> form.length() >= 8 && !form.startsWith("-----")).toList();
    }
}
