package dev.rotor.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.engine.StepHook;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.store.redis.EmbeddedRedis;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database part of the demo-platform runbook (examples/manifests/platform-databases.yml) end to end through the
 * CLI against the real PostgreSQL and Redis: backend becomes backend_v2 with identical privileges and ACL rules (read
 * from the catalogs and ACL GETUSER by the test), the credentials land in the secret-shaped folders, the old users
 * work until the runbook's 10 minutes are over and a later run removes them; an emergency ends them in its own run.
 */
class PlatformDatabasesTest {
    private static final String PG_PASS_0 = "backend-pg-password-before";
    private static final String REDIS_PASS_0 = "backend-redis-password-before";

    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final EmbeddedServer postgres = EmbeddedServer.get();
    private Path manifest;

    @BeforeEach
    void theRunbooksStartingPoint() throws IOException {
        Examples.demoPlatformUsers(postgres, redis, PG_PASS_0, REDIS_PASS_0);
        credentials("postgresql-credentials", "backend", PG_PASS_0);
        credentials("redis-credentials", "backend", REDIS_PASS_0);
        manifest = Examples.copy("platform-databases.yml", dir, root -> {
            ObjectNode stores = (ObjectNode) root.path("stores");
            ((ObjectNode) stores.path("postgres")).put("port", postgres.port()).put("database", "postgres");
            ((ObjectNode) stores.path("redis")).put("host", "127.0.0.1").put("port", redis.port);
        });
    }

    @AfterEach
    void dropDemoPlatform() {
        Examples.dropDemoPlatform(postgres);
    }

    private void credentials(String secret, String username, String password) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("secrets").resolve(secret));
        Files.writeString(folder.resolve("username"), username);
        Files.writeString(folder.resolve("password"), password);
    }

    private String key(String secret, String key) throws IOException {
        return Files.readString(dir.resolve("secrets").resolve(secret).resolve(key));
    }

    private RotorRunner.Result rotor(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", manifest.toString()));
        return RotorRunner.run(Map.of("PG_ADMIN_PASSWORD", EmbeddedServer.ADMIN_PASSWORD,
                "REDIS_ADMIN_PASSWORD", EmbeddedRedis.ADMIN_PASSWORD), clock, StepHook.NONE, full.toArray(String[]::new));
    }

    @Test
    void backendV2GetsTheOldUsersPrivilegesAndRulesAndTheOldUsersGoAfterTenMinutes() throws IOException {
        List<String> privileges = postgres.privileges("backend");
        Map<String, Object> rules = redis.rulesBesidePasswords("backend");
        RotorRunner.Result plan = rotor("plan");
        assertEquals(0, plan.exit(), plan.all());
        assertEquals(List.of("postgresql-backend: generate -> owner postgres -> 2 targets, 0 checks; journal "
                        + "postgresql-credentials:.rotor/journal/postgresql-backend.json",
                "  would write postgresql-credentials:username (derived)",
                "  would write postgresql-credentials:password",
                "  next username: backend_v2 (replacing backend, kept 10m after it)",
                "redis-backend: generate -> owner redis -> 2 targets, 0 checks; journal "
                        + "redis-credentials:.rotor/journal/redis-backend.json",
                "  would write redis-credentials:username (derived)",
                "  would write redis-credentials:password",
                "  next username: backend_v2 (replacing backend, kept 10m after it)",
                "summary: planned 2"), plan.out().lines().toList());
        assertTrue(privileges.contains("database demo-platform CONNECT grantable=f by demo_owner")
                && privileges.contains("relation demo_platform.users_id_seq (S) USAGE grantable=f by demo_owner")
                && privileges.contains("schema demo_platform USAGE grantable=f by demo_owner"), privileges.toString());
        assertEquals("-@all +subscribe", rules.get("commands"));

        RotorRunner.Result rotated = rotor("rotate");
        assertEquals(0, rotated.exit(), rotated.all());
        assertEquals(List.of("  pending username backend_v2 and its value journaled in "
                        + "postgresql-credentials:.rotor/journal/postgresql-backend.json",
                "  pending username backend_v2 and its value journaled in "
                        + "redis-credentials:.rotor/journal/redis-backend.json"),
                rotated.err().lines().filter(l -> l.startsWith("  pending username")).toList(),
                "a user name is no secret: the second unit still names it, unmasked");
        assertEquals(List.of("postgresql-backend: rotated; targets: 2 written", "redis-backend: rotated; targets: 2 written",
                "summary: rotated 2"), rotated.out().lines().toList());
        assertEquals(List.of("backend_v2", "backend_v2"), List.of(key("postgresql-credentials", "username"),
                key("redis-credentials", "username")));
        String pgPassword = key("postgresql-credentials", "password");
        String redisPassword = key("redis-credentials", "password");
        assertTrue(pgPassword.matches("[A-Za-z0-9+/]{43}="), "openssl rand -base64 32");
        assertTrue(redisPassword.matches("[A-Za-z0-9+/]{43}="), "openssl rand -base64 32");
        assertEquals(privileges, postgres.privileges("backend_v2"), "the catalogs: the same privileges");
        assertEquals(rules, redis.rulesBesidePasswords("backend_v2"), "ACL GETUSER: the same rules");
        assertTrue(postgres.loginWorks("backend_v2", pgPassword));
        assertTrue(redis.loginWorks("backend_v2", redisPassword));
        assertTrue(postgres.loginWorks("backend", PG_PASS_0), "the old user works during the grace");
        assertTrue(redis.loginWorks("backend", REDIS_PASS_0), "the old user works during the grace");

        clock.advance(Duration.ofMinutes(9));
        RotorRunner.Result inGrace = rotor("rotate", "--only-due");
        assertEquals(0, inGrace.exit(), inGrace.all());
        assertTrue(postgres.loginWorks("backend", PG_PASS_0), "one more minute");
        assertTrue(redis.loginWorks("backend", REDIS_PASS_0), "one more minute");

        clock.advance(Duration.ofMinutes(2));
        RotorRunner.Result removed = rotor("rotate", "--only-due");
        assertEquals(0, removed.exit(), removed.all());
        String run = "\\(replaced by run [0-9a-f-]{36}\\), its grace ended 2026-11-30T10:10:00Z";
        List<String> lines = removed.out().lines().toList();
        assertEquals(3, lines.size(), removed.out());
        assertTrue(lines.get(0).matches("postgresql-backend: not due; removed username backend " + run), lines.get(0));
        assertTrue(lines.get(1).matches("redis-backend: not due; removed username backend " + run), lines.get(1));
        assertEquals("summary: not due 2", lines.get(2));
        assertFalse(postgres.loginWorks("backend", PG_PASS_0), "DROP USER backend");
        assertNull(redis.observe(j -> j.aclGetUser("backend")), "ACL DELUSER backend");
        assertTrue(postgres.loginWorks("backend_v2", pgPassword));
        assertTrue(redis.loginWorks("backend_v2", redisPassword));
        assertEquals(privileges, postgres.privileges("backend_v2"), "nothing taken from the new user");
    }

    @Test
    void anEmergencyEndsTheUsersItReplacesInTheSameRun() throws IOException {
        assertEquals(0, rotor("rotate").exit());
        String pgPassword = key("postgresql-credentials", "password");
        String redisPassword = key("redis-credentials", "password");
        clock.advance(Duration.ofMinutes(1));

        emergencyReplaces(pgPassword, redisPassword);
        assertFalse(postgres.loginWorks("backend", PG_PASS_0), "no grace anywhere: the user in its grace ends too");
        assertNull(redis.observe(j -> j.aclGetUser("backend")), "no grace anywhere: the user in its grace ends too");
    }

    /** The runbook's order: the old users are removed after their grace, then a credential is compromised. */
    @Test
    void anEmergencyAfterTheOldUsersWereRemovedEndsTheUsersItReplaces() throws IOException {
        assertEquals(0, rotor("rotate").exit());
        String pgPassword = key("postgresql-credentials", "password");
        String redisPassword = key("redis-credentials", "password");
        clock.advance(Duration.ofMinutes(11));
        assertEquals(0, rotor("rotate", "--only-due").exit());
        assertFalse(postgres.loginWorks("backend", PG_PASS_0));

        emergencyReplaces(pgPassword, redisPassword);
    }

    /** rotate --emergency: backend_v3 takes over and backend_v2 stops working in the same run; the report says so. */
    private void emergencyReplaces(String pgPassword, String redisPassword) throws IOException {
        Path report = dir.resolve("report.json");
        RotorRunner.Result emergency = rotor("rotate", "--emergency", "--reason", "INC-1", "--report", report.toString());
        assertEquals(0, emergency.exit(), emergency.all());
        assertTrue(emergency.err().lines().findFirst().orElseThrow().endsWith("(emergency: no grace; every replaced "
                + "user, password and key stops working in this run)"), emergency.err());
        assertEquals(List.of("backend_v3", "backend_v3"), List.of(key("postgresql-credentials", "username"),
                key("redis-credentials", "username")));
        assertFalse(postgres.loginWorks("backend_v2", pgPassword), "replaced in this run: stopped at once");
        assertNull(redis.observe(j -> j.aclGetUser("backend_v2")), "replaced in this run: stopped at once");
        assertFalse(redis.loginWorks("backend_v2", redisPassword));
        assertTrue(postgres.loginWorks("backend_v3", key("postgresql-credentials", "password")));
        assertTrue(redis.loginWorks("backend_v3", key("redis-credentials", "password")));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.path("emergency").asBoolean(), json.toString());
        assertEquals("INC-1", json.path("reason").asText(), json.toString());
        for (JsonNode unit : json.path("units")) {
            assertEquals("rotated", unit.path("outcome").asText(), unit.toString());
            assertTrue(unit.path("notes").toString().matches(".*\"removed username backend_v2 \\(replaced by run "
                    + "[0-9a-f-]{36}\\) at once \\(emergency\\)\".*"), unit.toString());
        }
    }
}
