package dev.rotor.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rotor.action.ActionInputs.InputException;
import dev.rotor.action.ActionInputs.Translation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionInputsTest {

    /** Not a real token: a marker whose every appearance in argv or output the tests look for. */
    private static final String TOKEN = "ghs_" + "x".repeat(36);

    private static Map<String, String> inputs(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put("INPUT_" + pairs[i].toUpperCase(), pairs[i + 1]);
        }
        return env;
    }

    private static List<String> single(Map<String, String> env) throws InputException {
        Translation translation = ActionInputs.translate(env);
        assertEquals(1, translation.commandLines().size());
        return translation.commandLines().get(0);
    }

    @Test
    void defaultsToRotateOfRotationYml() throws Exception {
        assertEquals(List.of("rotate", "--manifest", "rotation.yml"), single(inputs()));
        // GitHub passes every declared input, empty when the workflow leaves it out.
        assertEquals(List.of("rotate", "--manifest", "rotation.yml"),
                single(inputs("command", "", "manifest", "", "environment", "", "secrets", "", "dry-run", "false",
                        "only-due", "false", "report", "", "audit-log", "", "format", "", "github-token", "")));
    }

    @Test
    void translatesEveryOptionOfRotate() throws Exception {
        List<String> argv = single(inputs("command", "rotate", "manifest", "ops/rotation.yml", "environment", "prod",
                "secrets", "db-password, redis-password\njwt-key\n", "dry-run", "true", "only-due", "TRUE",
                "report", "out/report.json", "audit-log", "SECURITY-CHANGELOG.jsonl", "reason", "SEC-42 incident"));
        assertEquals(List.of("rotate", "--manifest", "ops/rotation.yml", "--environment", "prod",
                "--secret", "db-password", "--secret", "redis-password", "--secret", "jwt-key",
                "--dry-run", "--only-due", "--report", "out/report.json", "--audit-log", "SECURITY-CHANGELOG.jsonl",
                "--reason", "SEC-42 incident"), argv);
    }

    @Test
    void anEmergencyWithTheProbeAndAStatusWithDriftAndARepair() throws Exception {
        assertEquals(List.of("rotate", "--manifest", "rotation.yml", "--secret", "jwt-keys", "--emergency", "--probe",
                        "--reason", "INC-3 leaked"),
                single(inputs("command", "rotate", "secrets", "jwt-keys", "emergency", "true", "probe", "true",
                        "reason", "INC-3 leaked")));
        assertEquals(List.of("status", "--manifest", "rotation.yml", "--drift", "--format", "prometheus"),
                single(inputs("command", "status", "drift", "true", "format", "prometheus")));
        assertEquals(List.of("repair", "--manifest", "rotation.yml", "--environment", "prod", "--secret", "db-password"),
                single(inputs("command", "repair", "environment", "prod", "secrets", "db-password")));
    }

    @Test
    void statusTakesAFormat() throws Exception {
        assertEquals(List.of("status", "--manifest", "rotation.yml", "--format", "prometheus"),
                single(inputs("command", "status", "format", "prometheus")));
        InputException e = assertThrows(InputException.class,
                () -> ActionInputs.translate(inputs("command", "status", "format", "xml")));
        assertTrue(e.getMessage().startsWith("input format:"), e.getMessage());
    }

    @Test
    void validateRunsOncePerManifest() throws Exception {
        Translation translation = ActionInputs.translate(inputs("command", "validate",
                "manifest", "a/rotation.yml\nb/rotation.yml, c/rotation.yml\n"));
        assertEquals(List.of(
                List.of("validate", "--manifest", "a/rotation.yml"),
                List.of("validate", "--manifest", "b/rotation.yml"),
                List.of("validate", "--manifest", "c/rotation.yml")), translation.commandLines());
    }

    @Test
    void rotateAndRollbackTakeOneManifest() {
        for (String command : List.of("rotate", "rollback")) {
            InputException e = assertThrows(InputException.class,
                    () -> ActionInputs.translate(inputs("command", command, "manifest", "a.yml\nb.yml")));
            assertTrue(e.getMessage().contains("takes one manifest"), e.getMessage());
        }
    }

    @Test
    void refusesAnUnknownCommandNamingTheChoices() {
        InputException e = assertThrows(InputException.class,
                () -> ActionInputs.translate(inputs("command", "rotat")));
        assertEquals("input command: unknown command 'rotat' (use one of validate, plan, rotate, status, rollback, repair)",
                e.getMessage());
    }

    @Test
    void ignoresAnInputTheCommandDoesNotTakeWithAWarning() throws Exception {
        // A reusable workflow passes every input, whatever the command.
        Translation translation = ActionInputs.translate(inputs("command", "validate", "environment", "prod",
                "secrets", "db", "only-due", "true", "dry-run", "true", "report", "r.json"));
        assertEquals(List.of(List.of("validate", "--manifest", "rotation.yml", "--environment", "prod",
                "--secret", "db")), translation.commandLines());
        assertEquals(List.of(
                "input dry-run does not apply to command 'validate' and is ignored",
                "input only-due does not apply to command 'validate' and is ignored",
                "input report does not apply to command 'validate' and is ignored"), translation.warnings());
        assertTrue(ActionInputs.translate(inputs("command", "rotate", "dry-run", "false")).warnings().isEmpty());
    }

    @Test
    void refusesDryRunOfACommandThatWouldWrite() {
        InputException e = assertThrows(InputException.class,
                () -> ActionInputs.translate(inputs("command", "rollback", "dry-run", "true")));
        assertEquals("input dry-run: 'rollback' has no dry run and would write (run plan to see what it would do)",
                e.getMessage());
    }

    @Test
    void booleansAreTheYamlCoreBooleans() throws Exception {
        assertFalse(single(inputs("dry-run", "False")).contains("--dry-run"));
        assertTrue(single(inputs("dry-run", "True")).contains("--dry-run"));
        InputException e = assertThrows(InputException.class, () -> ActionInputs.translate(inputs("dry-run", "yes")));
        assertEquals("input dry-run: 'yes' is not a boolean (use true or false)", e.getMessage());
    }

    @Test
    void tokensGoToTheEnvironmentUnderRotorNamesNeverToArgv() throws Exception {
        Map<String, String> env = inputs("github-token", TOKEN + "\n", "vault-token", "");
        env.put("ROTOR_VAULT_TOKEN", "from-step-env");
        Translation translation = ActionInputs.translate(env);
        assertEquals(TOKEN, translation.environment().get("ROTOR_GITHUB_TOKEN"));
        assertFalse(translation.environment().containsKey("INPUT_GITHUB-TOKEN"));
        // An empty input leaves a variable set through the step's env: alone.
        assertEquals("from-step-env", translation.environment().get("ROTOR_VAULT_TOKEN"));
        assertEquals("/usr/bin", translation.environment().get("PATH"));
        for (List<String> argv : translation.commandLines()) {
            assertFalse(String.join(" ", argv).contains(TOKEN));
        }
    }

    /** What a runner passes for {@code toJSON(secrets)}: every secret of the job, multi-line ones escaped. */
    private static final String SECRETS_JSON = "{\n  \"github_token\": \"" + TOKEN + "\",\n"
            + "  \"PG_ADMIN_PASSWORD\": \"pg%0Apass word\",\n"
            + "  \"ROTOR_APP_PRIVATE_KEY\": \"-----BEGIN KEY-----\\nAAAA\\n-----END KEY-----\",\n"
            + "  \"UNRELATED_SECRET\": \"not-for-rotor\"\n}";

    @Test
    void secretEnvExportsTheNamedSecretsOnlyAndDropsTheJson() throws Exception {
        Map<String, String> env = inputs("secret-env", "PG_ADMIN_PASSWORD\nrotor_app_private_key, ", "secrets-json",
                SECRETS_JSON);
        Translation translation = ActionInputs.translate(env);
        assertEquals("pg%0Apass word", translation.environment().get("PG_ADMIN_PASSWORD"));
        // Looked up without case, as GitHub compares secret names; exported under the name as written.
        assertEquals("-----BEGIN KEY-----\nAAAA\n-----END KEY-----",
                translation.environment().get("rotor_app_private_key"));
        assertEquals(List.of("PG_ADMIN_PASSWORD", "rotor_app_private_key"), translation.fromSecrets());
        assertFalse(translation.environment().containsKey("INPUT_SECRETS-JSON"));
        assertFalse(translation.environment().containsValue("not-for-rotor"));
        assertFalse(translation.environment().containsValue(TOKEN));
        assertEquals(List.of(List.of("rotate", "--manifest", "rotation.yml")), translation.commandLines());

        // Without secret-env the JSON is dropped all the same.
        Translation none = ActionInputs.translate(inputs("secrets-json", SECRETS_JSON));
        assertFalse(none.environment().containsKey("INPUT_SECRETS-JSON"));
        assertEquals(List.of(), none.fromSecrets());
    }

    @Test
    void secretEnvRefusesWhatItCannotExportNamingNeverAValue() {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        errors.put("PG_ADMIN_PASSWORD, REDIS_ADMIN_PASSWORD", "input secret-env: no secret REDIS_ADMIN_PASSWORD in"
                + " secrets-json (a caller of a reusable workflow passes `secrets: inherit`; an environment secret"
                + " needs the job's `environment:`)");
        for (String reserved : List.of("JAVA_TOOL_OPTIONS", "GITHUB_TOKEN", "LD_PRELOAD", "path", "A-B")) {
            errors.put(reserved, "input secret-env: '" + reserved + "' cannot be exported (a variable name of"
                    + " letters, digits and _, not PATH, HOME, a JVM option variable nor GITHUB_, RUNNER_, ACTIONS_,"
                    + " INPUT_ or LD_*)");
        }
        for (Map.Entry<String, String> error : errors.entrySet()) {
            InputException e = assertThrows(InputException.class, () -> ActionInputs.translate(
                    inputs("secret-env", error.getKey(), "secrets-json", SECRETS_JSON)));
            assertEquals(error.getValue(), e.getMessage());
        }
        InputException noJson = assertThrows(InputException.class,
                () -> ActionInputs.translate(inputs("secret-env", "PG_ADMIN_PASSWORD")));
        assertEquals("input secret-env: names PG_ADMIN_PASSWORD but input secrets-json is empty"
                + " (pass secrets-json: ${{ toJSON(secrets) }})", noJson.getMessage());
        // A broken JSON: the parser's message would quote the text, so it is not passed on.
        InputException broken = assertThrows(InputException.class, () -> ActionInputs.translate(
                inputs("secret-env", "PG_ADMIN_PASSWORD", "secrets-json", "{\"PG_ADMIN_PASSWORD\": \"s3cr3t-value")));
        assertEquals("input secrets-json: not a JSON object (pass secrets-json: ${{ toJSON(secrets) }})",
                broken.getMessage());
    }

    @Test
    void inputVariableNamesKeepHyphens() {
        assertEquals("INPUT_DRY-RUN", ActionInputs.Input.DRY_RUN.variable());
        assertEquals("INPUT_GITHUB-TOKEN", ActionInputs.Input.GITHUB_TOKEN.variable());
    }

    // --- ActionCommand: runs each command line with the translated environment -----------------------------

    private record Call(List<String> argv, Map<String, String> environment) {
    }

    private static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<Call> calls = new ArrayList<>();

        int run(Map<String, String> env, int... exitCodes) {
            ActionCommand command = new ActionCommand((argv, environment, o, e) -> {
                calls.add(new Call(List.of(argv), environment));
                return exitCodes[calls.size() - 1];
            }, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return command.call();
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void commandPassesTheTranslationAndReturnsTheWorstExitCode() {
        Captured captured = new Captured();
        Map<String, String> env = inputs("command", "validate", "manifest", "a.yml\nb.yml");
        assertEquals(2, captured.run(env, 2, 0));
        assertEquals(List.of("validate", "--manifest", "a.yml"), captured.calls.get(0).argv());
        assertEquals(List.of("validate", "--manifest", "b.yml"), captured.calls.get(1).argv());
    }

    @Test
    void commandPrintsWarningsAsAnnotationsInActions() {
        Captured captured = new Captured();
        Map<String, String> env = inputs("command", "status", "environment", "dev", "report", "r.json");
        env.put("GITHUB_ACTIONS", "true");
        assertEquals(0, captured.run(env, 0));
        assertEquals("::warning title=Rotor action input::input report does not apply to command 'status' and is ignored"
                + System.lineSeparator(), captured.out());
        assertEquals(List.of("status", "--manifest", "rotation.yml", "--environment", "dev"), captured.calls.get(0).argv());
    }

    @Test
    void commandMasksATokenInputFirstAndOnlyInActions() {
        Captured inActions = new Captured();
        Map<String, String> env = inputs("github-token", TOKEN);
        env.put("GITHUB_ACTIONS", "true");
        assertEquals(3, inActions.run(env, 3));
        assertEquals("::add-mask::" + TOKEN + System.lineSeparator(), inActions.out());
        assertEquals(TOKEN, inActions.calls.get(0).environment().get("ROTOR_GITHUB_TOKEN"));

        Captured local = new Captured();
        assertEquals(0, local.run(inputs("github-token", TOKEN), 0));
        assertEquals("", local.out());
        assertFalse(local.err().contains(TOKEN));
    }

    @Test
    void commandMasksEachLineOfAnExportedSecretEscapedBeforeItRuns() {
        Captured captured = new Captured();
        Map<String, String> env = inputs("secret-env", "PG_ADMIN_PASSWORD,ROTOR_APP_PRIVATE_KEY",
                "secrets-json", SECRETS_JSON, "command", "status", "report", "r.json");
        env.put("GITHUB_ACTIONS", "true");
        assertEquals(0, captured.run(env, 0));
        // The runner unescapes %25, %0D and %0A in the data: a literal "%0A" is sent as "%250A".
        assertEquals(List.of("::add-mask::pg%250Apass word", "::add-mask::-----BEGIN KEY-----", "::add-mask::AAAA",
                        "::add-mask::-----END KEY-----",
                        "::warning title=Rotor action input::input report does not apply to command 'status' and is"
                                + " ignored"),
                captured.out().lines().toList());
        assertEquals("pg%0Apass word", captured.calls.get(0).environment().get("PG_ADMIN_PASSWORD"));
        assertFalse(captured.err().contains("pass word"));
    }

    @Test
    void commandReportsABadInputAsAUsageErrorAndRunsNothing() {
        Captured captured = new Captured();
        Map<String, String> env = inputs("command", "rollback", "dry-run", "true", "github-token", TOKEN);
        env.put("GITHUB_ACTIONS", "true");
        assertEquals(2, captured.run(env));
        assertTrue(captured.calls.isEmpty());
        assertTrue(captured.out().startsWith("::add-mask::" + TOKEN + System.lineSeparator()
                + "::error title=Rotor action input::input dry-run: 'rollback' has no dry run"), captured.out());
        assertTrue(captured.err().startsWith("rotor action: input dry-run:"), captured.err());
        assertFalse(captured.out().replace("::add-mask::" + TOKEN, "").contains(TOKEN));
        assertFalse(captured.err().contains(TOKEN));
    }
}
