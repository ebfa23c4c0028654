package dev.rotor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rotor.action.ActionInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The action's metadata and every workflow (the release workflow and the examples) parsed as YAML: actions pinned
 * by commit SHA, least-privilege permissions, concurrency groups that never cancel a rotation, and the inputs of
 * action.yml matching what {@link ActionInputs} reads.
 */
class WorkflowFilesTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path ACTION = Path.of("action.yml");
    static final Pattern SHA_PINNED = Pattern.compile("[\\w.-]+/[\\w.-]+(/[\\w./-]+)?@[0-9a-f]{40}");
    static final Pattern DIGEST_PINNED = Pattern.compile("docker://[\\w.-]+(/[\\w.-]+)+@sha256:[0-9a-f]{64}");
    static final Pattern USES_LINE = Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*(\\S+)(.*)$");
    /** The action itself, as the examples reference it. */
    static final String ROTOR_ACTION = "rotor-dev/rotor@";

    static List<Path> workflows() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of(".github/workflows"), Path.of("examples/workflows"))) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void theExpectedWorkflowsExist() throws IOException {
        Set<String> names = workflows().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("release.yml", "scheduled-rotation.yml", "dispatch-rotation.yml",
                "reusable-rotation.yml", "caller.yml", "validate-manifests.yml", "matrix-rotation.yml",
                "runner-jar.yml", "drift-check.yml")), names.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyWorkflow() throws IOException {
        return workflows().stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> checkWorkflow(file)));
    }

    private static void checkWorkflow(Path file) throws IOException {
        JsonNode workflow = YAML.readTree(file.toFile());
        JsonNode jobs = workflow.path("jobs");
        assertTrue(jobs.isObject() && jobs.size() > 0, file + ": no jobs");

        // Least privilege: nothing by default at the top, each job asks for what it needs.
        assertTrue(workflow.has("permissions"), file + ": no top-level permissions");
        JsonNode top = workflow.get("permissions");
        assertTrue(top.isObject() && top.isEmpty(), file + ": top-level permissions must be {} (jobs ask for theirs)");
        for (Map.Entry<String, JsonNode> job : fields(jobs)) {
            assertTrue(job.getValue().has("permissions"), file + ": job " + job.getKey() + " has no permissions");
            JsonNode permissions = job.getValue().get("permissions");
            assertTrue(permissions.isObject(), file + ": job " + job.getKey() + ": permissions must be a map, not "
                    + permissions);
            for (Map.Entry<String, JsonNode> permission : fields(permissions)) {
                assertTrue(Set.of("read", "write", "none").contains(permission.getValue().asText()),
                        file + ": " + permission);
            }
        }

        // Concurrency: at the top, or on every job (a reusable workflow holds it in its job).
        boolean pullRequestOnly = triggers(workflow).equals(Set.of("pull_request"));
        List<JsonNode> groups = new ArrayList<>();
        if (workflow.has("concurrency")) {
            groups.add(workflow.get("concurrency"));
        } else {
            for (Map.Entry<String, JsonNode> job : fields(jobs)) {
                assertTrue(job.getValue().has("concurrency"), file + ": no concurrency at the top nor on job "
                        + job.getKey());
                groups.add(job.getValue().get("concurrency"));
            }
        }
        for (JsonNode group : groups) {
            assertTrue(group.path("group").isTextual(), file + ": concurrency without a group");
            // Never cancel a run midway; only a pull-request check (which writes nothing) may be superseded.
            assertTrue(group.has("cancel-in-progress"), file + ": concurrency must say cancel-in-progress");
            if (!pullRequestOnly) {
                assertFalse(group.get("cancel-in-progress").asBoolean(), file + ": cancel-in-progress must be false");
            }
        }

        for (Map.Entry<String, JsonNode> job : fields(jobs)) {
            JsonNode strategy = job.getValue().path("strategy");
            if (strategy.has("matrix")) {
                assertTrue(strategy.has("fail-fast") && !strategy.get("fail-fast").asBoolean(),
                        file + ": job " + job.getKey() + ": a matrix must set fail-fast: false (a failing shard would"
                                + " cancel the others midway)");
            }
            checkUses(file, job.getValue().path("uses"));
            for (JsonNode step : job.getValue().path("steps")) {
                checkUses(file, step.path("uses"));
                if (step.path("uses").asText().startsWith(ROTOR_ACTION)) {
                    checkRotorStep(file, step);
                }
            }
        }
        checkUsesComments(file);
    }

    private static void checkUses(Path file, JsonNode uses) {
        if (uses.isMissingNode()) {
            return;
        }
        String ref = uses.asText();
        assertTrue(ref.startsWith("./") || SHA_PINNED.matcher(ref).matches() || DIGEST_PINNED.matcher(ref).matches(),
                file + ": `uses: " + ref + "` is not pinned by a full commit SHA");
    }

    /** The pinned version is named in a comment on the line, so a human and Dependabot can tell what it is. */
    private static void checkUsesComments(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            Matcher m = USES_LINE.matcher(line);
            if (m.matches() && !m.group(1).startsWith("./")) {
                assertTrue(m.group(2).matches("\\s+#\\s*v\\d.*"), file + ": no `# vX.Y.Z` comment: " + line.strip());
            }
        }
    }

    /** Every `with:` key given to the Rotor action is an input that action.yml declares. */
    private static void checkRotorStep(Path file, JsonNode step) throws IOException {
        Set<String> declared = names(YAML.readTree(ACTION.toFile()).path("inputs"));
        for (String key : names(step.path("with"))) {
            assertTrue(declared.contains(key), file + ": the Rotor action has no input `" + key + "`");
        }
    }

    private static Set<String> triggers(JsonNode workflow) {
        JsonNode on = workflow.path("on");
        if (on.isTextual()) {
            return Set.of(on.asText());
        }
        if (on.isArray()) {
            Set<String> names = new TreeSet<>();
            on.forEach(n -> names.add(n.asText()));
            return names;
        }
        return names(on);
    }

    static final Path REUSABLE = Path.of("examples/workflows/reusable-rotation.yml");

    /**
     * The reusable and the matrix workflow rotate for manifests they do not know: each passes the run's reason,
     * the tokens, and {@code toJSON(secrets)} with the names the manifest reads (secret-env), so that any owner
     * password or provided value can reach Rotor. Callers of the reusable workflow inherit every secret.
     */
    @Test
    void reusableAndMatrixWorkflowsPassTheReasonAndCanReachEverySecret() throws IOException {
        JsonNode call = YAML.readTree(REUSABLE.toFile()).at("/on/workflow_call");
        assertTrue(names(call.path("inputs")).containsAll(Set.of("reason", "secret-env")), call.toString());
        assertTrue(names(call.path("secrets")).containsAll(
                Set.of("ROTOR_APP_PRIVATE_KEY", "ROTOR_GITHUB_TOKEN", "ROTOR_VAULT_TOKEN")), call.toString());
        JsonNode reusable = rotorStep(REUSABLE).path("with");
        assertEquals("${{ inputs.reason }}", reusable.path("reason").asText());
        assertEquals("${{ inputs.secret-env }}", reusable.path("secret-env").asText());
        assertTrue(reusable.path("secrets-json").asText().contains("toJSON(secrets)"), reusable.toString());
        assertTrue(reusable.path("github-token").asText().contains("secrets.ROTOR_GITHUB_TOKEN"), reusable.toString());
        assertEquals("${{ secrets.ROTOR_VAULT_TOKEN }}", reusable.path("vault-token").asText());

        Path matrix = Path.of("examples/workflows/matrix-rotation.yml");
        assertTrue(YAML.readTree(matrix.toFile()).at("/on/workflow_dispatch/inputs/reason/required").asBoolean());
        JsonNode shard = rotorStep(matrix).path("with");
        assertEquals("${{ inputs.reason }}", shard.path("reason").asText());
        assertFalse(shard.path("secret-env").asText().isBlank(), shard.toString());
        assertEquals("${{ toJSON(secrets) }}", shard.path("secrets-json").asText());
        assertEquals("${{ secrets.ROTOR_VAULT_TOKEN }}", shard.path("vault-token").asText());
        assertTrue(shard.path("github-token").asText().contains("steps.app.outputs.token"), shard.toString());

        int callers = 0;
        for (Path file : workflows()) {
            for (Map.Entry<String, JsonNode> job : fields(YAML.readTree(file.toFile()).path("jobs"))) {
                if (!job.getValue().path("uses").asText().contains("/reusable-rotation.yml")) {
                    continue;
                }
                callers++;
                String where = file + ": job " + job.getKey();
                assertEquals("inherit", job.getValue().path("secrets").asText(), where + ": pass `secrets: inherit`");
                JsonNode with = job.getValue().path("with");
                assertFalse(with.path("reason").asText().isBlank(), where + ": no reason");
                assertFalse(with.path("secret-env").asText().isBlank(), where + ": no secret-env");
                Set<String> unknown = names(with);
                unknown.removeAll(names(call.path("inputs")));
                assertEquals(Set.of(), unknown, where + ": inputs the reusable workflow does not declare");
            }
        }
        assertEquals(4, callers, "caller.yml and the three stages of dispatch-rotation.yml");
    }

    /** The one step of a workflow that runs the Rotor action. */
    private static JsonNode rotorStep(Path file) throws IOException {
        List<JsonNode> steps = new ArrayList<>();
        for (Map.Entry<String, JsonNode> job : fields(YAML.readTree(file.toFile()).path("jobs"))) {
            job.getValue().path("steps").forEach(step -> {
                if (step.path("uses").asText().startsWith(ROTOR_ACTION)) {
                    steps.add(step);
                }
            });
        }
        assertEquals(1, steps.size(), file + ": Rotor steps");
        return steps.get(0);
    }

    @Test
    void actionInputsAreWhatActionCommandReads() throws IOException {
        JsonNode action = YAML.readTree(ACTION.toFile());
        Set<String> declared = names(action.path("inputs"));
        Set<String> read = Arrays.stream(ActionInputs.Input.values()).map(i -> i.inputName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(read, declared);
        for (Map.Entry<String, JsonNode> input : fields(action.path("inputs"))) {
            assertFalse(input.getValue().path("description").asText().isBlank(), input.getKey() + ": no description");
            assertFalse(input.getValue().path("required").asBoolean(), input.getKey() + ": inputs are optional");
        }
        assertEquals(ActionInputs.DEFAULT_COMMAND, action.at("/inputs/command/default").asText());
        assertEquals(ActionInputs.DEFAULT_MANIFEST, action.at("/inputs/manifest/default").asText());
        for (Map.Entry<ActionInputs.Input, String> token : ActionInputs.TOKENS.entrySet()) {
            String description = action.path("inputs").path(token.getKey().inputName).path("description").asText();
            assertTrue(description.contains("${env:" + token.getValue() + "}"),
                    token.getKey().inputName + ": the description must name " + token.getValue());
            assertEquals("", action.path("inputs").path(token.getKey().inputName).path("default").asText(),
                    "a token input has no default");
        }
    }

    @Test
    void actionRunsThePrebuiltImagePinnedByDigest() throws IOException {
        JsonNode action = YAML.readTree(ACTION.toFile());
        assertEquals("docker", action.at("/runs/using").asText());
        String image = action.at("/runs/image").asText();
        assertTrue(DIGEST_PINNED.matcher(image).matches() && image.startsWith("docker://ghcr.io/"),
                "runs.image must be docker://ghcr.io/...@sha256:<digest>, not " + image);
        assertEquals(List.of("action"), YAML.convertValue(action.at("/runs/args"), List.class));
        // Outputs never carry values: a count and a path.
        assertEquals(Set.of("rotated", "report"), names(action.path("outputs")));
        assertTrue(action.at("/branding/icon").isTextual() && action.at("/branding/color").isTextual());
        // The release workflow rewrites exactly this line.
        assertEquals(1, Files.readAllLines(ACTION).stream().filter(l -> l.startsWith("  image: docker://")).count());
    }

    static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            fields.add(it.next());
        }
        return fields;
    }
}
