package dev.rotor.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rotor action` as a workflow step runs it: inputs in, masks first, summary, outputs and report out, no value. */
class ActionRotationTest {
    @TempDir
    Path workspace;

    /** The local example in the workspace, and the variables the runner sets for a rotate step of it. */
    private Map<String, String> rotateStep(String secrets) throws Exception {
        Files.copy(Path.of("examples/local/rotation.yml"), workspace.resolve("rotation.yml"));
        Files.copy(Path.of("examples/local/user-provided.env"), workspace.resolve("user-provided.env"));
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_RUN_ID", "4242");
        env.put("GITHUB_OUTPUT", workspace.resolve("output").toString());
        env.put("GITHUB_STEP_SUMMARY", workspace.resolve("summary.md").toString());
        env.put("INPUT_COMMAND", "rotate");
        env.put("INPUT_MANIFEST", workspace.resolve("rotation.yml").toString());
        env.put("INPUT_SECRETS", secrets);
        return env;
    }

    /** A reusable workflow's step: a `provided` value reaches the manifest through secret-env, and nothing else. */
    @Test
    void aProvidedValueArrivesThroughSecretEnvAndIsMaskedFirst() throws Exception {
        String provided = "gcs-" + "Q".repeat(20) + "%0A";
        Map<String, String> env = rotateStep("oidc-google-client-secret");
        env.put("INPUT_SECRET-ENV", "OIDC_GOOGLE_CLIENT_SECRET");
        env.put("INPUT_SECRETS-JSON", "{\"github_token\": \"ghs_unrelated_token_value\","
                + " \"OIDC_GOOGLE_CLIENT_SECRET\": \"" + provided + "\"}");

        RotorRunner.Result step = RotorRunner.run(env, "action");
        assertEquals(0, step.exit(), step.err());

        assertEquals(provided, Files.readString(workspace.resolve("state/keys/oidc_google_client_secret.txt")).strip());
        List<String> stdout = step.out().lines().toList();
        assertEquals("::add-mask::" + provided.replace("%", "%25"), stdout.get(0));
        assertFalse(step.err().contains(provided));
        assertFalse(step.all().contains("ghs_unrelated_token_value"));
    }

    @Test
    void aRotateStepWritesItsOutputsSummaryAndReportAndMasksFirst() throws Exception {
        Map<String, String> env = rotateStep("postgres-app-user-password, redis-password");
        env.put("INPUT_REPORT", workspace.resolve("report.json").toString());
        env.put("INPUT_DRY-RUN", "false");
        env.put("INPUT_ONLY-DUE", "false");

        RotorRunner.Result step = RotorRunner.run(env, "action");
        assertEquals(0, step.exit(), step.err());

        List<String> outputs = Files.readAllLines(workspace.resolve("output"));
        assertTrue(outputs.contains("rotated=2"), outputs.toString());
        assertTrue(outputs.contains("report=" + workspace.resolve("report.json")), outputs.toString());
        String summary = Files.readString(workspace.resolve("summary.md"));
        assertTrue(summary.contains("| redis-password | - | rotated | 2/2 |"), summary);
        JsonNode report = new ObjectMapper().readTree(workspace.resolve("report.json").toFile());
        assertEquals("4242", report.get("runId").asText());
        assertEquals(2, report.get("units").size());

        String password = Files.readString(workspace.resolve("state/keys/redis_password.txt"));
        List<String> stdout = step.out().lines().toList();
        assertTrue(stdout.contains("::add-mask::" + password));
        assertEquals(1, stdout.stream().filter(l -> l.startsWith("::warning file=")).count(),
                "one warning for the files journal on the runner's disk: " + stdout);
        assertTrue(stdout.stream().allMatch(l -> l.startsWith("::add-mask::") || l.startsWith("::warning file=")
                        || l.matches("[a-z-]+: rotated; targets: 2 written") || l.equals("summary: rotated 2")),
                "only workflow commands and the run's results on stdout: " + stdout);
        for (String text : List.of(step.err(), summary, String.join("\n", outputs), Files.readString(workspace.resolve("report.json")))) {
            assertFalse(text.contains(password));
        }
    }

    /**
     * The runner sets every input action.yml declares, with its default when the workflow gives none
     * (emergency, probe and drift are "false"): a step that sets only its command warns of nothing.
     */
    @Test
    void aStepWithEveryOtherInputAtItsDefaultWarnsOfNothing() throws Exception {
        JsonNode inputs = new ObjectMapper(new YAMLFactory()).readTree(Path.of("action.yml").toFile()).get("inputs");
        for (String command : List.of("validate", "status", "rotate")) {
            Map<String, String> env = rotateStep("redis-password");
            inputs.fields().forEachRemaining(input ->
                    env.put("INPUT_" + input.getKey().toUpperCase(Locale.ROOT), input.getValue().get("default").asText()));
            env.put("INPUT_COMMAND", command);
            env.put("INPUT_MANIFEST", workspace.resolve("rotation.yml").toString());
            env.put("INPUT_SECRETS", "redis-password");

            RotorRunner.Result step = RotorRunner.run(env, "action");
            assertEquals(0, step.exit(), step.err());
            assertFalse(step.out().contains("::warning title=Rotor action input::"), command + ": " + step.out());
            assertFalse(step.err().contains("rotor action: warning:"), command + ": " + step.err());
            Files.delete(workspace.resolve("rotation.yml"));
            Files.delete(workspace.resolve("user-provided.env"));
        }
    }

    /** The pull-request check of a manifest whose journal is a folder on the runner: the warning names every way out. */
    @Test
    void aValidateStepNamesEveryStoreTypeThatKeepsAJournalBeyondTheJob() throws Exception {
        Map<String, String> env = rotateStep("");
        env.put("INPUT_COMMAND", "validate");

        RotorRunner.Result step = RotorRunner.run(env, "action");
        assertEquals(0, step.exit(), step.err());
        assertEquals(List.of("::warning file=" + workspace.resolve("rotation.yml") + ",line=10,col=5::stores.keys:"
                        + " store 'keys' (type files) is the journal of 11 secrets (postgres-password,"
                        + " postgres-app-user-password, postgres-app-ro-password and 8 more) and is on the runner's disk,"
                        + " which is gone when the job ends: an interrupted rotation could not resume with the same value"
                        + " (use a durable readable store as 'journal:' (aws-secrets-manager, azure-blob, kubernetes,"
                        + " vault-kv))",
                        workspace.resolve("rotation.yml") + ": valid (11 secrets, 2 stores, 0 environments, 1 warning)"),
                step.out().lines().toList());
    }

    /** A re-run of the same workflow run after success: the step summary says so in words, as the log does. */
    @Test
    void aReRunsStepSummarySaysAlreadyDone() throws Exception {
        Map<String, String> env = rotateStep("redis-password");
        assertEquals(0, RotorRunner.run(env, "action").exit());
        Files.delete(workspace.resolve("summary.md")); // the runner gives each step a file of its own

        RotorRunner.Result again = RotorRunner.run(env, "action");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("redis-password: already done"), again.out());
        assertEquals(List.of("### Rotor rotate", "", "| secret | environment | outcome | targets | note |",
                        "|---|---|---|---|---|", "| redis-password | - | already done | 0/0 |  |"),
                Files.readAllLines(workspace.resolve("summary.md")));
    }

    @Test
    void aPlansStepSummaryCountsTheCopiesItWouldWriteNotCopiesBehind() throws Exception {
        Map<String, String> env = rotateStep("redis-password");
        env.put("INPUT_COMMAND", "plan");
        RotorRunner.Result plan = RotorRunner.run(env, "action");
        assertEquals(0, plan.exit(), plan.err());
        assertEquals(List.of("### Rotor plan", "", "| secret | environment | outcome | targets | note |",
                        "|---|---|---|---|---|", "| redis-password | - | planned | 2 to write |  |"),
                Files.readAllLines(workspace.resolve("summary.md")));
    }

    /** What the command would refuse for want of another input is an annotation naming the inputs, and runs nothing. */
    @Test
    void anEmergencyWithoutReasonAndARollbackWithoutSecretsAreInputErrorsOnTheRunsPage() throws Exception {
        Map<String, String> env = rotateStep("redis-password");
        env.put("INPUT_EMERGENCY", "true");
        env.put("INPUT_REASON", "");
        assertInputError(env, "input emergency: needs input reason (the incident), recorded in the report and the"
                + " audit log");

        env.put("INPUT_REASON", "INC-1");
        env.put("INPUT_ONLY-DUE", "true");
        assertInputError(env, "input emergency: rotates now, whatever is due; set only-due to false");

        env.put("INPUT_COMMAND", "rollback");
        env.put("INPUT_SECRETS", "");
        env.put("INPUT_EMERGENCY", "false");
        env.put("INPUT_ONLY-DUE", "false");
        assertInputError(env, "input secrets: rollback needs the secrets to roll back (a rollback is always deliberate)");
        assertFalse(Files.exists(workspace.resolve("state")), "nothing ran");
    }

    private static void assertInputError(Map<String, String> env, String message) {
        RotorRunner.Result step = RotorRunner.run(env, "action");
        assertEquals(2, step.exit(), step.all());
        assertEquals(List.of("::error title=Rotor action input::" + message), step.out().lines().toList());
    }
}
