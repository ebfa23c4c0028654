package dev.rotor.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify: - http: ...} through the CLI against a real local HTTP server: plan, dry run and rotate run the
 * check; status, body text, retries and timeout decide it; a failed check promotes nothing.
 */
class HttpCheckCliTest {
    /** One answer of the server: status, body, and how long it waits before answering. */
    private record Answer(int status, String body, long delayMillis) {
    }

    private HttpServer server;
    /** Answers to give in order; when empty the server answers {@link #steady}. */
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer steady = new Answer(200, "{\"status\":\"ok\"}", 0);
    private final AtomicInteger requests = new AtomicInteger();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/healthz", exchange -> {
            requests.incrementAndGet();
            Answer answer = script.isEmpty() ? steady : script.poll();
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(answer.status(), body.length);
                out.write(body);
            } catch (IOException clientGaveUp) {
                // the check timed out and closed the connection
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String manifest(String checkOptions) throws IOException {
        return manifestWithCheck("http: \"http://127.0.0.1:%d/healthz\", %s".formatted(server.getAddress().getPort(),
                checkOptions));
    }

    /** A manifest whose one secret has the http check {@code check} (the inside of its flow map). */
    private String manifestWithCheck(String check) throws IOException {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                secrets:
                  api-token:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: api-token.txt }
                    verify:
                      - { %s }
                """.formatted(check));
        return file.toString();
    }

    private JsonNode journal() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/api-token.json").toFile());
    }

    @Test
    void planDryRunAndRotateAllRunAnHttpCheckThatPasses() throws IOException {
        String manifest = manifest("expect: 200, contains: ok");
        RotorRunner.Result plan = RotorRunner.run(Map.of(), "plan", "-m", manifest);
        assertEquals(0, plan.exit(), plan.all());
        RotorRunner.Result dryRun = RotorRunner.run(Map.of(), "rotate", "-m", manifest, "--dry-run");
        assertEquals(0, dryRun.exit(), dryRun.all());
        assertFalse(Files.exists(dir.resolve("keys/api-token.txt")), "a dry run writes nothing");
        assertEquals(0, requests.get(), "plan and dry run never call the check");

        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m", manifest);
        assertEquals(0, rotate.exit(), rotate.all());
        assertEquals(1, requests.get());
        String value = Files.readString(dir.resolve("keys/api-token.txt"));
        assertEquals(value, journal().get("current").asText());
        assertTrue(journal().path("pending").isNull() || journal().path("pending").isMissingNode(), journal().toString());
    }

    @Test
    void aBodyWithoutTheExpectedTextFailsTheCheck() throws IOException {
        steady = new Answer(200, "{\"status\":\"degraded\"}", 0);
        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m",
                manifest("expect: 200, contains: '\"ok\"', retries: 1, interval: 10ms"));
        assertEquals(3, rotate.exit(), rotate.all());
        assertTrue(rotate.err().contains("the last of 2 attempts answered 200 without the expected text;"),
                rotate.err());
        assertEquals(2, requests.get());
    }

    @Test
    void aServerThatFailsTwiceThenAnswersPassesWithinItsRetries() throws IOException {
        script.add(new Answer(503, "starting", 0));
        script.add(new Answer(503, "starting", 0));
        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m",
                manifest("expect: [200, 204], retries: 2, interval: 10ms"));
        assertEquals(0, rotate.exit(), rotate.all());
        assertEquals(3, requests.get());
        assertTrue(rotate.err().contains("answered 503, retry 1/2 in ")
                && rotate.err().contains("answered 503, retry 2/2 in "), rotate.err());
    }

    @Test
    void nothingListeningIsSaidInWordsAUserCanActOn() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m",
                manifestWithCheck("http: \"http://127.0.0.1:%d/healthz\", retries: 1, interval: 10ms".formatted(closed)));
        assertEquals(3, rotate.exit(), rotate.all());
        assertTrue(rotate.err().contains("/healthz could not be reached, retry 1/1 in "), rotate.err());
        assertTrue(rotate.err().contains("/healthz: expected [200]; the last of 2 attempts could not be reached;"),
                rotate.err());
        assertFalse(rotate.err().contains("Exception"), rotate.err());
    }

    @Test
    void aServerSlowerThanTheTimeoutFailsTheCheckWithoutWaitingForIt() throws IOException {
        steady = new Answer(200, "ok", 5_000);
        long started = System.nanoTime();
        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m",
                manifest("timeout: 300ms, retries: 0"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(3, rotate.exit(), rotate.all());
        assertTrue(rotate.err().contains("expected [200]; its one attempt timed out;"), rotate.err());
        assertTrue(millis < 4_000, "stopped at its timeout, not the server's 5 s: " + millis + " ms");
    }

    @Test
    void aServerAnswering500PromotesNothing() throws IOException {
        String manifest = manifest("retries: 1, interval: 10ms");
        assertEquals(0, RotorRunner.run(Map.of(), "rotate", "-m", manifest).exit());
        String old = journal().get("current").asText();

        steady = new Answer(500, "boom", 0);
        RotorRunner.Result rotate = RotorRunner.run(Map.of(), "rotate", "-m", manifest);
        assertEquals(3, rotate.exit(), rotate.all());
        assertTrue(rotate.err().contains("expected [200]; the last of 2 attempts answered 500;"), rotate.err());
        JsonNode journal = journal();
        assertEquals(old, journal.get("current").asText(), "the old value stays current");
        String pending = journal.get("pending").asText();
        assertNotEquals(old, pending);
        assertEquals(24, pending.length());
        assertFalse(rotate.all().contains(pending) || rotate.all().contains(old), "no value is printed");
    }

    @Test
    void anHttpCheckMayNotCarryTheValue() throws IOException {
        String file = manifestWithCheck("http: \"http://127.0.0.1/healthz?token=${secret.url}\"");
        RotorRunner.Result validate = RotorRunner.run(Map.of(), "validate", "-m", file);
        assertEquals(2, validate.exit(), validate.all());
        assertEquals(List.of(file + ":10:49: error: secrets.api-token.verify[0].http: ${secret} is only allowed in a"
                        + " target's 'value', a command check and a hook's 'env' (render derived values in a target's 'value')"),
                validate.err().lines().filter(l -> l.contains(": error: ")).toList());
    }
}
