package dev.rotor.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.ConsumerLoop;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * alternating-users and single-user on the real PostgreSQL, through the CLI: the next user gets exactly the active
 * one's privileges (compared from the catalogs), consumers never see a refused login (Rotor's probe and an
 * independent consumer loop agree), the old user ends exactly when the strategy says, a crash after any step
 * resumes to a consistent state, and rollback goes back. single-user shows the gap the probe measures.
 */
class AlternatingUsersRotationTest {
    private static final String ADMIN = "alt_admin";
    private static final String ADMIN_PASSWORD = "alt-admin-Pw71";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Pattern URL = Pattern.compile("postgresql://([^:]+):([^@]+)@.*");

    private final EmbeddedServer server = EmbeddedServer.get();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final Map<String, String> env = Map.of("PG_ADMIN_PASSWORD", ADMIN_PASSWORD);
    @TempDir
    Path dir;
    /** The active user of this test: a fresh name per test, as the server is shared. */
    private String user;

    @BeforeAll
    static void schema() {
        EmbeddedServer.get().sql("DROP ROLE IF EXISTS " + ADMIN, "CREATE ROLE " + ADMIN + " LOGIN SUPERUSER PASSWORD '"
                + ADMIN_PASSWORD + "'", "CREATE SCHEMA IF NOT EXISTS alt_app",
                "CREATE TABLE IF NOT EXISTS alt_app.orders (id serial PRIMARY KEY, total int)",
                "CREATE TABLE IF NOT EXISTS alt_app.audit (id int, note text)",
                "DROP ROLE IF EXISTS alt_readers", "CREATE ROLE alt_readers NOLOGIN");
    }

    /** The runbook's backend user: a membership, schema, table, column and sequence grants, default privileges. */
    private String activeUser(String password) {
        user = "alt_backend" + NAMES.incrementAndGet();
        server.sql("CREATE ROLE " + user + " LOGIN CONNECTION LIMIT 7 PASSWORD '" + password + "'",
                "GRANT alt_readers TO " + user,
                "GRANT USAGE ON SCHEMA alt_app TO " + user,
                "GRANT SELECT, INSERT ON alt_app.orders TO " + user,
                "GRANT UPDATE (note) ON alt_app.audit TO " + user,
                "GRANT USAGE, SELECT ON SEQUENCE alt_app.orders_id_seq TO " + user,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA alt_app GRANT SELECT ON TABLES TO " + user);
        return user;
    }

    private void manifest(String strategy, String extra) throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  creds: { type: files, directory: creds }
                  db: { type: postgres, host: localhost, port: %d, database: postgres, user: %s,
                        password: "${env:PG_ADMIN_PASSWORD}", sslmode: disable }
                secrets:
                  db-login:
                    generate: { type: password, length: 24 }
                    max-age: 90d
                    owner: { store: db, user: %s }
                    strategy: %s
                %s
                    targets:
                      - { store: creds, name: password }
                      - { store: creds, name: database-url,
                          value: "postgresql://%s:${secret.password.url}@localhost:%d/postgres" }
                """.formatted(server.port(), ADMIN, user, strategy, extra.indent(4).stripTrailing(),
                strategy.equals("alternating-users") ? "${secret.username}" : user, server.port()));
    }

    private RotorRunner.Result rotor(StepHook hook, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(env, clock, hook, full.toArray(String[]::new));
    }

    private RotorRunner.Result rotor(String... args) {
        return rotor(StepHook.NONE, args);
    }

    /** The user and password the DATABASE_URL copy names, as a consumer would read them. */
    private String[] urlCredential() throws IOException {
        Matcher m = URL.matcher(Files.readString(dir.resolve("creds/database-url")));
        assertTrue(m.matches());
        return new String[] {m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8)};
    }

    private ConsumerLoop consumer() {
        return new ConsumerLoop(() -> {
            try {
                String[] credential = urlCredential();
                return server.loginWorks(credential[0], credential[1]);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void startFrom(String password) throws IOException {
        Files.createDirectories(dir.resolve("creds"));
        Files.writeString(dir.resolve("creds/password"), password);
        Files.writeString(dir.resolve("creds/database-url"), "postgresql://" + user + ":" + password + "@localhost:"
                + server.port() + "/postgres");
    }

    private boolean exists(String role) {
        return "1".equals(server.query("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"));
    }

    private JsonNode journal() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("creds/.rotor/journal/db-login.json").toFile());
    }

    @Test
    void theNextUserHasTheSamePrivilegesNoLoginFailsAndTheOldUserEndsAfterItsGrace() throws Exception {
        activeUser("alt-old-Pw1");
        startFrom("alt-old-Pw1");
        manifest("alternating-users", "grace: 10m");
        List<String> before = server.privileges(user);

        RotorRunner.Result rotated;
        int consumerLogins;
        int consumerFailures;
        try (ConsumerLoop consumer = consumer()) {
            Thread.sleep(50);
            rotated = rotor("rotate", "--probe=2ms");
            Thread.sleep(50);
            consumer.close();
            consumerLogins = consumer.logins();
            consumerFailures = consumer.failed();
        }
        assertEquals(0, rotated.exit(), rotated.err());
        String next = user + "_v2";
        String[] credential = urlCredential();
        assertEquals(next, credential[0]);
        assertEquals(Files.readString(dir.resolve("creds/password")), credential[1]);
        assertEquals(before, server.privileges(next), "the catalogs show the same privileges");
        assertEquals(before, server.privileges(user), "the active user's privileges are untouched");
        assertTrue(server.loginWorks(next, credential[1]));
        assertTrue(server.loginWorks(user, "alt-old-Pw1"), "the old user works through its grace");
        assertTrue(rotated.out().matches("(?s).*db-login: rotated; targets: 2 written; probe: [1-9]\\d* logins, 0 failed, "
                + "longest window without a working credential 0 ms.*"), rotated.out());
        assertTrue(consumerLogins > 5, "the consumer loop ran: " + consumerLogins);
        assertEquals(0, consumerFailures, "an independent consumer never saw a refused login");

        clock.advance(Duration.ofMinutes(9));
        assertEquals(0, rotor("rotate", "--only-due").exit());
        assertTrue(exists(user), "still in grace");

        clock.advance(Duration.ofMinutes(2));
        RotorRunner.Result later = rotor("rotate", "--only-due");
        assertEquals(0, later.exit(), later.err());
        assertTrue(later.out().contains("db-login: not due; removed username " + user), later.out());
        assertFalse(exists(user), "dropped after its grace by a run with nothing due");
        assertTrue(server.loginWorks(next, credential[1]));
    }

    @Test
    void aUserWithAnOpenSessionIsKeptAndSaidSoUntilAnEmergencyEndsIt() throws Exception {
        activeUser("alt-old-Pw2");
        startFrom("alt-old-Pw2");
        manifest("alternating-users", "grace: 1m");
        assertEquals(0, rotor("rotate").exit());
        clock.advance(Duration.ofMinutes(2));
        try (Connection session = server.session(user, "alt-old-Pw2")) {
            RotorRunner.Result held = rotor("rotate", "--only-due");
            assertEquals(0, held.exit(), held.err());
            assertTrue(held.out().contains("username " + user + " (replaced by run"), held.out());
            assertTrue(held.out().contains("is kept: ") && held.out().contains("1 open session"), held.out());
            assertTrue(exists(user));

            RotorRunner.Result emergency = rotor("rotate", "--emergency", "--reason", "INC-7 leaked credentials");
            assertEquals(0, emergency.exit(), emergency.err());
            assertFalse(exists(user), "the emergency ended the session and dropped the user");
            assertFalse(exists(user + "_v2"), "the user replaced in this very run is dropped too");
            String[] credential = urlCredential();
            assertEquals(user + "_v3", credential[0]);
            assertTrue(server.loginWorks(credential[0], credential[1]));
            assertTrue(session.isClosed() || !session.isValid(2), "the old user's session was ended");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"PENDING", "OWNER", "TEST", "DISTRIBUTE", "VERIFY", "FINISH"})
    void aCrashAfterAnyStepResumesToTheSameUserAndValue(Step step) throws Exception {
        activeUser("alt-old-Pw3");
        startFrom("alt-old-Pw3");
        manifest("alternating-users", "grace: 10m");
        StepHook crash = (unit, s) -> {
            if (s == step) {
                throw new RotorRunner.Crash(s.label());
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> rotor(crash, "rotate", "--run-id", "crashed"));
        JsonNode journaled = journal();
        String value = step == Step.FINISH ? journaled.get("current").asText() : journaled.get("pending").asText();
        String name = step == Step.FINISH ? journaled.get("currentName").asText() : journaled.get("pendingName").asText();
        assertEquals(user + "_v2", name);

        RotorRunner.Result resumed = rotor("rotate", "--run-id", "crashed");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(value, Files.readString(dir.resolve("creds/password")), "resumed with the journaled value");
        String[] credential = urlCredential();
        assertEquals(name, credential[0]);
        assertEquals(value, credential[1]);
        assertTrue(server.loginWorks(name, value));
        assertTrue(server.loginWorks(user, "alt-old-Pw3"), "the old user is in its grace");
        assertEquals(server.privileges(user), server.privileges(name));
        JsonNode finished = journal();
        assertEquals(name, finished.get("currentName").asText());
        assertEquals(user, finished.get("previousName").asText());
        assertEquals(List.of(user), List.of(finished.get("retiring").get(0).get("name").asText()));
    }

    @Test
    void rollbackGoesBackToThePreviousUserWhichStillLogsInAndTheRolledBackOneGetsTheGrace() throws Exception {
        activeUser("alt-old-Pw4");
        startFrom("alt-old-Pw4");
        manifest("alternating-users", "grace: 10m");
        assertEquals(0, rotor("rotate").exit());
        String rotated = urlCredential()[1];

        RotorRunner.Result rollback = rotor("rollback", "--secret", "db-login");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals(user, urlCredential()[0]);
        assertEquals("alt-old-Pw4", urlCredential()[1]);
        assertTrue(server.loginWorks(user, "alt-old-Pw4"));
        assertTrue(server.loginWorks(user + "_v2", rotated), "the rolled-back user is in its grace now");
        assertEquals(user + "_v2", journal().get("retiring").get(0).get("name").asText());
        assertTrue(journal().get("retiring").size() == 1, "the restored user is no longer to be removed");
    }

    @Test
    void singleUserShowsTheGapTheProbeMeasures() throws Exception {
        activeUser("alt-single-Pw5");
        startFrom("alt-single-Pw5");
        manifest("single-user", "");
        // Consumers read the new password only once the copies are written: hold the run there for a while.
        StepHook slowAfterTheOwner = (unit, s) -> {
            if (s == Step.OWNER) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RotorRunner.Result rotated;
        int consumerFailures;
        try (ConsumerLoop consumer = consumer()) {
            rotated = rotor(slowAfterTheOwner, "rotate", "--probe=2ms");
            consumer.close();
            consumerFailures = consumer.failed();
        }
        assertEquals(0, rotated.exit(), rotated.err());
        Matcher m = Pattern.compile("probe: (\\d+) logins, (\\d+) failed, longest window without a working credential "
                + "(\\d+) ms").matcher(rotated.out());
        assertTrue(m.find(), rotated.out());
        assertTrue(Integer.parseInt(m.group(2)) > 0, rotated.out());
        assertTrue(Long.parseLong(m.group(3)) >= 250, "the gap covers the held owner step: " + rotated.out());
        assertTrue(consumerFailures > 0, "the independent consumer saw the gap too");
        assertNotEquals("alt-single-Pw5", urlCredential()[1]);
    }
}
