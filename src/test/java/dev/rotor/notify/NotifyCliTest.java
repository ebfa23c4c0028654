package dev.rotor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code notify:} through the CLI against a local HTTP server: the Slack and JSON bodies field by field, sent on
 * success, partial and failure as {@code on} says, never for a dry run or a run that changed nothing, retried on a
 * 5xx, and a webhook that cannot be reached is one warning with the exit code unchanged. No value and no webhook URL
 * reaches the output or a body.
 */
class NotifyCliTest {
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** The secret part of each webhook URL (as in Slack's /services/T…/B…/token): it must never be printed. */
    private static final String SLACK_PATH = "/services/T0ROTOR/B0ROTOR/slack0token0abcdef";
    private static final String JSON_PATH = "/hooks/json0token0abcdef";

    /** A request the server received. */
    private record Request(String path, String contentType, String body) {
    }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Request> received = new ConcurrentLinkedQueue<>();
    /** Statuses to answer in order; then 200. */
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Request(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** What GitHub Actions sets for the run URL (without GITHUB_ACTIONS, so no workflow commands are printed). */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_WEBHOOK_URL", url(SLACK_PATH));
        env.put("AUDIT_WEBHOOK_URL", url(JSON_PATH));
        env.put("GITHUB_SERVER_URL", "https://github.example.com");
        env.put("GITHUB_REPOSITORY", "acme/platform");
        env.put("GITHUB_RUN_ID", "9001");
        return env;
    }

    /**
     * Two environments; {@code api-key} always verifies, {@code secretTwo} is the inside of a second secret; the
     * copies are in a dotenv file (no version ids, so bodies are exact) and the journal in a files store.
     */
    private String manifest(String secretTwo, String notify) throws IOException {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments: { dev: {}, prod: {} }
                stores:
                  journal: { type: files, directory: journal }
                  env: { type: dotenv, path: app.env }
                secrets:
                  api-key:
                    generate: { type: password, length: 32 }
                    max-age: 90d
                    journal: journal
                    targets:
                      - { store: env, name: "${ENV}_API_KEY" }
                %s
                notify:
                %s
                """.formatted(secretTwo.indent(2).stripTrailing(), notify.indent(2).stripTrailing()));
        return file.toString();
    }

    private static final String BOTH = """
            - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack }
            - { webhook: "${env:AUDIT_WEBHOOK_URL}", format: json }""";

    /** A second secret whose verification fails: the run is partial. */
    private static final String FAILS_VERIFICATION = """
            db-token:
              generate: { type: uuid }
              journal: journal
              targets:
                - { store: env, name: "${ENV}_DB_TOKEN" }
              verify:
                - command: "false"
            """;

    private RotorRunner.Result rotate(Map<String, String> env, String manifest, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("rotate", "-m", manifest, "--reason",
                "SEC-1234 <!channel> & quarterly"));
        args.addAll(List.of(more));
        return RotorRunner.run(env, CLOCK, StepHook.NONE, args.toArray(String[]::new));
    }

    private Request only(String path) {
        List<Request> to = received.stream().filter(r -> r.path().equals(path)).toList();
        assertEquals(1, to.size(), "requests to " + path + ": " + received);
        return to.get(0);
    }

    /** Every value the run wrote to the dotenv file. */
    private List<String> values() throws IOException {
        return Files.readAllLines(dir.resolve("app.env")).stream().filter(l -> l.contains("="))
                .map(l -> l.substring(l.indexOf('=') + 1).replaceAll("^['\"]|['\"]$", "")).toList();
    }

    private void assertNothingLeaks(RotorRunner.Result result) throws IOException {
        List<String> values = values();
        assertFalse(values.isEmpty());
        for (String value : values) {
            assertTrue(value.length() >= 32, value.length() + " characters");
            assertFalse(result.all().contains(value), "a value in the output");
            received.forEach(r -> assertFalse(r.body().contains(value), "a value in a body"));
        }
        for (String secretPart : List.of("slack0token0abcdef", "json0token0abcdef", "T0ROTOR")) {
            assertFalse(result.all().contains(secretPart), "the webhook URL in the output:\n" + result.all());
            received.forEach(r -> assertFalse(r.body().contains(secretPart), "the webhook URL in a body"));
        }
    }

    @Test
    void aSuccessfulRotationSendsTheSlackMessageAndTheReportWithStateAndRunUrl() throws IOException {
        RotorRunner.Result result = rotate(env(), manifest("", BOTH));
        assertEquals(0, result.exit(), result.all());
        assertEquals(2, received.size(), received.toString());

        Request slack = only(SLACK_PATH);
        assertEquals("application/json; charset=utf-8", slack.contentType());
        assertEquals("{\"text\":\"Rotor rotate: success; 2 rotated; reason: SEC-1234 &lt;!channel&gt; &amp; quarterly\","
                + "\"blocks\":["
                + "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Rotor rotate: success\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":"
                + "\"\u2022 `api-key` (dev): rotated\\n\u2022 `api-key` (prod): rotated\"}},"
                + "{\"type\":\"context\",\"elements\":["
                + "{\"type\":\"mrkdwn\",\"text\":\"Reason: SEC-1234 &lt;!channel&gt; &amp; quarterly\"},"
                + "{\"type\":\"mrkdwn\",\"text\":\"Run <https://github.example.com/acme/platform/actions/runs/9001|9001>,"
                + " exit code 0\"}]}]}", slack.body());

        Request json = only(JSON_PATH);
        assertEquals("application/json; charset=utf-8", json.contentType());
        assertEquals("{\"state\":\"success\",\"command\":\"rotate\",\"runId\":\"9001\","
                + "\"runUrl\":\"https://github.example.com/acme/platform/actions/runs/9001\","
                + "\"startedAt\":\"2025-03-01T09:00:00Z\",\"finishedAt\":\"2025-03-01T09:00:00Z\",\"exitCode\":0,"
                + "\"resends\":0,\"reason\":\"SEC-1234 <!channel> & quarterly\",\"units\":["
                + "{\"secret\":\"api-key\",\"environment\":\"dev\",\"outcome\":\"rotated\",\"targets\":["
                + "{\"store\":\"env\",\"name\":\"DEV_API_KEY\",\"status\":\"written\"}]},"
                + "{\"secret\":\"api-key\",\"environment\":\"prod\",\"outcome\":\"rotated\",\"targets\":["
                + "{\"store\":\"env\",\"name\":\"PROD_API_KEY\",\"status\":\"written\"}]}]}", json.body());
        assertNothingLeaks(result);
        assertTrue(result.err().contains("notify: slack message sent to 127.0.0.1"), result.err());
    }

    @Test
    void aPartialRunSendsItsStateWithTheFailedStepAndTheUnitsNotStarted() throws Exception {
        RotorRunner.Result result = rotate(env(), manifest(FAILS_VERIFICATION, BOTH));
        assertEquals(3, result.exit(), result.all());
        assertEquals("{\"text\":\"Rotor rotate: partial; 1 rotated, 1 partial, 2 not started; reason: SEC-1234 "
                + "&lt;!channel&gt; &amp; quarterly\",\"blocks\":["
                + "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Rotor rotate: partial\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"\u2022 `api-key` (dev): rotated\\n"
                + "\u2022 `db-token` (dev): partial at verify\\n\u2022 `api-key` (prod): not started\\n"
                + "\u2022 `db-token` (prod): not started\"}},"
                + "{\"type\":\"context\",\"elements\":["
                + "{\"type\":\"mrkdwn\",\"text\":\"Reason: SEC-1234 &lt;!channel&gt; &amp; quarterly\"},"
                + "{\"type\":\"mrkdwn\",\"text\":\"Run <https://github.example.com/acme/platform/actions/runs/9001|9001>,"
                + " exit code 3\"}]}]}", only(SLACK_PATH).body());

        JsonNode json = new ObjectMapper().readTree(only(JSON_PATH).body());
        assertEquals(List.of("state", "command", "runId", "runUrl", "startedAt", "finishedAt", "exitCode", "resends",
                "reason", "units"), fieldNames(json));
        assertEquals("partial", json.get("state").asText());
        assertEquals(3, json.get("exitCode").asInt());
        assertEquals("https://github.example.com/acme/platform/actions/runs/9001", json.get("runUrl").asText());
        assertEquals("SEC-1234 <!channel> & quarterly", json.get("reason").asText());
        assertEquals(List.of("api-key dev rotated -", "db-token dev partial verify", "api-key prod not_started -",
                "db-token prod not_started -"), units(json));
        JsonNode partial = json.get("units").get(1);
        assertTrue(partial.get("finishCommand").asText().contains("--resume --run-id 9001"), partial.toString());
        assertTrue(partial.get("rollbackCommand").asText().contains("rollback"), partial.toString());
        assertNothingLeaks(result);
    }

    @Test
    void aFailedRunSendsFailure() throws Exception {
        RotorRunner.Result result = rotate(env(), manifest("""
                client-secret:
                  generate: { type: provided, variable: CLIENT_SECRET }
                  journal: journal
                  targets:
                    - { store: env, name: "${ENV}_CLIENT_SECRET" }
                """, BOTH));
        assertEquals(2, result.exit(), result.all());
        JsonNode json = new ObjectMapper().readTree(only(JSON_PATH).body());
        assertEquals("failure", json.get("state").asText());
        assertEquals(2, json.get("exitCode").asInt());
        assertEquals(List.of("api-key dev rotated -", "client-secret dev invalid pending",
                "api-key prod not_started -", "client-secret prod not_started -"), units(json));
        assertEquals("{\"text\":\"Rotor rotate: failure; 1 rotated, 1 invalid, 2 not started; reason: SEC-1234 "
                + "&lt;!channel&gt; &amp; quarterly\",\"blocks\":["
                + "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Rotor rotate: failure\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"\u2022 `api-key` (dev): rotated\\n"
                + "\u2022 `client-secret` (dev): invalid at pending\\n\u2022 `api-key` (prod): not started\\n"
                + "\u2022 `client-secret` (prod): not started\"}},"
                + "{\"type\":\"context\",\"elements\":["
                + "{\"type\":\"mrkdwn\",\"text\":\"Reason: SEC-1234 &lt;!channel&gt; &amp; quarterly\"},"
                + "{\"type\":\"mrkdwn\",\"text\":\"Run <https://github.example.com/acme/platform/actions/runs/9001|9001>,"
                + " exit code 2\"}]}]}", only(SLACK_PATH).body());
        assertNothingLeaks(result);
    }

    @Test
    void eachWebhookIsSentOnlyInTheStatesItsOnNames() throws IOException {
        String notify = """
                - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack, on: [partial, failure] }
                - { webhook: "${env:AUDIT_WEBHOOK_URL}", format: json, on: [success] }""";
        RotorRunner.Result success = rotate(env(), manifest("", notify));
        assertEquals(0, success.exit(), success.all());
        assertEquals(List.of(JSON_PATH), received.stream().map(Request::path).toList());

        received.clear();
        Map<String, String> env = env();
        env.put("GITHUB_RUN_ID", "9002");
        RotorRunner.Result partial = rotate(env, manifest(FAILS_VERIFICATION, notify));
        assertEquals(3, partial.exit(), partial.all());
        assertEquals(List.of(SLACK_PATH), received.stream().map(Request::path).toList());
    }

    @Test
    void planDryRunAReRunAndARunWithNothingDueSendNothing() throws IOException {
        String manifest = manifest("", BOTH);
        assertEquals(0, RotorRunner.run(env(), CLOCK, StepHook.NONE, "plan", "-m", manifest).exit());
        assertEquals(0, rotate(env(), manifest, "--dry-run").exit());
        assertEquals(List.of(), List.copyOf(received), "plan and dry run notify nobody");

        assertEquals(0, rotate(env(), manifest).exit());
        assertEquals(2, received.size());
        received.clear();
        RotorRunner.Result reRun = rotate(env(), manifest);
        assertEquals(0, reRun.exit(), reRun.all());
        assertTrue(reRun.out().contains("already done"), reRun.out());
        Map<String, String> later = env();
        later.put("GITHUB_RUN_ID", "9002");
        RotorRunner.Result notDue = rotate(later, manifest, "--only-due");
        assertEquals(0, notDue.exit(), notDue.all());
        assertTrue(notDue.out().contains("summary: not due 2"), notDue.out());
        assertEquals(List.of(), List.copyOf(received), "a run that changed nothing notifies nobody");
    }

    @Test
    void a500IsSentAgainAndTheSecondAnswerDelivers() throws IOException {
        statuses.add(500);
        RotorRunner.Result result = rotate(env(), manifest("", """
                - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack }"""));
        assertEquals(0, result.exit(), result.all());
        List<Request> requests = List.copyOf(received);
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the same message again");
        assertTrue(result.err().contains("notify: POST 127.0.0.1 500, retry 1/2 in "), result.err());
        assertFalse(result.err().contains("warning"), result.err());
        assertNothingLeaks(result);
    }

    @Test
    void aWebhookThatKeepsFailingIsOneWarningAndTheExitCodeStays() throws IOException {
        statuses.addAll(List.of(503, 503, 503));
        RotorRunner.Result result = rotate(env(), manifest("", BOTH));
        assertEquals(0, result.exit(), result.all());
        assertEquals(3, received.stream().filter(r -> r.path().equals(SLACK_PATH)).count(), "three attempts in all");
        assertEquals(List.of("warning: notification to 127.0.0.1 failed: 503; the rotation's outcome is unchanged"),
                result.err().lines().filter(l -> l.startsWith("warning:")).toList());
        assertEquals(1, received.stream().filter(r -> r.path().equals(JSON_PATH)).count(), "the next webhook is sent");
        assertNothingLeaks(result);
    }

    @Test
    void aRefusedMessageIsNotSentAgain() throws IOException {
        statuses.add(404);
        RotorRunner.Result result = rotate(env(), manifest(FAILS_VERIFICATION, """
                - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack }"""));
        assertEquals(3, result.exit(), "the run's own exit code: " + result.all());
        assertEquals(1, received.size());
        assertEquals(List.of("warning: notification to 127.0.0.1 failed: 404; the rotation's outcome is unchanged"),
                result.err().lines().filter(l -> l.startsWith("warning:")).toList());
    }

    @Test
    void aDeadEndpointOrAMissingVariableIsAWarningAndTheExitCodeStays() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + port + SLACK_PATH);
        env.remove("AUDIT_WEBHOOK_URL");
        RotorRunner.Result result = rotate(env, manifest(FAILS_VERIFICATION, BOTH));
        assertEquals(3, result.exit(), result.all());
        assertEquals(List.of("warning: notification to 127.0.0.1 failed: could not be reached; the rotation's "
                        + "outcome is unchanged", "warning: notification notify[1] failed: ${env:AUDIT_WEBHOOK_URL}: "
                        + "environment variable AUDIT_WEBHOOK_URL is not set; the rotation's outcome is unchanged"),
                result.err().lines().filter(l -> l.startsWith("warning:")).toList());
        assertNothingLeaks(result);
    }

    @Test
    void inGithubActionsTheWebhookUrlIsMaskedBeforeItIsUsed() throws IOException {
        Map<String, String> env = env();
        env.put("GITHUB_ACTIONS", "true");
        RotorRunner.Result result = rotate(env, manifest("", """
                - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack }"""));
        assertEquals(0, result.exit(), result.all());
        assertEquals(1, received.size());
        List<String> naming = result.all().lines().filter(l -> l.contains("slack0token0abcdef")).toList();
        assertFalse(naming.isEmpty());
        naming.forEach(l -> assertTrue(l.startsWith("::add-mask::"), l));
        assertTrue(result.out().contains("::add-mask::" + url(SLACK_PATH)), result.out());
    }

    @Test
    void validateRefusesALiteralWebhookUrlAndMisspelledKeysAtTheirLines() throws IOException {
        String manifest = manifest("", """
                - { webhook: "https://hooks.slack.com/services/T0ROTOR/B0ROTOR/slack0token0abcdef", format: slack }
                - { webhook: "${env:AUDIT_WEBHOOK_URL}", format: xml, on: [sucess] }
                - { webhook: "${env:AUDIT_WEBHOOK_URL}", on: [] }""");
        RotorRunner.Result result = RotorRunner.run(Map.of(), "validate", "-m", manifest);
        assertEquals(2, result.exit(), result.all());
        assertEquals(List.of(
                manifest + ":15:16: error: notify[0].webhook: 'webhook' holds a credential and must not be written in "
                        + "the manifest (reference an environment variable: 'webhook: ${env:WEBHOOK}')",
                manifest + ":16:52: error: notify[1].format: unknown value 'xml' (valid values: json, slack)",
                manifest + ":16:62: error: notify[1].on[0]: unknown value 'sucess' (did you mean 'success'?)",
                manifest + ":17:5: error: notify[2].format: 'format' is required (add 'format: slack' or 'format: json')",
                manifest + ":17:48: error: notify[2].on: 'on' is empty: this webhook would never be sent (list states, "
                        + "e.g. 'on: [partial, failure]', or remove 'on' for all)"),
                result.err().lines().filter(l -> l.contains(": error: ")).toList());
        assertFalse(result.all().contains("slack0token0abcdef"), "a literal URL is never echoed");
        assertFalse(Files.exists(dir.resolve("app.env")));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** {@code secret environment outcome failedStep} per unit ("-" without a failed step). */
    private static List<String> units(JsonNode report) {
        List<String> units = new java.util.ArrayList<>();
        report.get("units").forEach(u -> units.add(u.get("secret").asText() + " " + u.get("environment").asText() + " "
                + u.get("outcome").asText() + " " + u.path("failedStep").asText("-")));
        return units;
    }

    /** The committed schema agrees with validate: it takes the webhooks above and refuses what validate refuses. */
    @Test
    void theSchemaTakesWhatValidateTakesAndRefusesALiteralUrl() throws IOException {
        com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("schema/rotation.schema.json")));
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        assertEquals(List.of(), schema.validate(yaml.readTree(new java.io.File(manifest(FAILS_VERIFICATION, """
                - { webhook: "${env:SLACK_WEBHOOK_URL}", format: slack, on: [partial, failure] }
                - { webhook: " ${ env:AUDIT_WEBHOOK_URL } ", format: json }""")))));
        for (String wrong : List.of("- { webhook: \"https://hooks.slack.com/services/T/B/x\", format: slack }",
                "- { webhook: \"${env:URL}\", format: xml }", "- { webhook: \"${env:URL}\", format: json, on: [] }",
                "- { webhook: \"${env:URL}\", format: json, on: [sucess] }", "- { webhook: \"${env:URL}\" }",
                "- { webhook: \"${env:URL}\", format: json, channel: ops }")) {
            Path file = Path.of(manifest("", wrong));
            assertFalse(schema.validate(yaml.readTree(file.toFile())).isEmpty(), wrong);
            assertEquals(2, RotorRunner.run(Map.of(), "validate", "-m", file.toString()).exit(), wrong);
        }
    }
}
