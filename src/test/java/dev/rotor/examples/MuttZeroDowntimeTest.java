package dev.rotor.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.engine.StepHook;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.store.redis.EmbeddedRedis;
import dev.rotor.store.vault.VaultDouble;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Mutt runbook (examples/manifests/mutt-zero-downtime.yml) end to end through the CLI: the Vault fields through
 * the Vault double, the real Redis (dual-password with a prepared NEXT) and the real PostgreSQL (alternating users),
 * starting from what scripts/vault-init.sh leaves: the users exist, every field is set, CURRENT logs in. Logins are
 * checked with the test's own clients, never through Rotor.
 */
class MuttZeroDowntimeTest {
    private static final String FIELDS = "secret/mutt/prod";
    private static final String DB_PASS_0 = "mutt-db-pass-from-vault-init";
    private static final String REDIS_PASS_0 = "mutt-redis-current-from-vault-init";
    private static final String REDIS_NEXT_0 = "mutt-redis-next-from-vault-init";

    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final EmbeddedServer postgres = EmbeddedServer.get();
    private VaultDouble vault;
    private Path manifest;

    @BeforeEach
    void vaultInit() throws Exception {
        assumeTrue(onPath("psql"), "the PostgreSQL check runs psql");
        Examples.dropRoles(postgres, "^mutt(_v[0-9]+)?$");
        postgres.role("mutt", DB_PASS_0);
        redis.observe(j -> j.aclSetUser("mutt", "reset", "on", ">" + REDIS_PASS_0, "~mutt:*", "+@all"));
        vault = new VaultDouble();
        vault.put(FIELDS, "DB_USER", "mutt");
        vault.put(FIELDS, "DB_PASS_CURRENT", DB_PASS_0);
        vault.put(FIELDS, "DB_PASS_NEXT", DB_PASS_0);
        vault.put(FIELDS, "REDIS_PASS_CURRENT", REDIS_PASS_0);
        vault.put(FIELDS, "REDIS_PASS_NEXT", REDIS_NEXT_0);
        manifest = Examples.copy("mutt-zero-downtime.yml", dir, root -> {
            ObjectNode vars = (ObjectNode) root.path("environments").path("prod").path("vars");
            vars.put("vault", vault.url());
            vars.put("pg-host", "localhost");
            vars.put("pg-port", String.valueOf(postgres.port()));
            vars.put("pg-database", "postgres");
            vars.put("redis-host", "127.0.0.1");
            vars.put("redis-port", String.valueOf(redis.port));
        });
    }

    @AfterEach
    void stop() {
        if (vault != null) {
            vault.close();
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
    }

    private RotorRunner.Result rotor(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", manifest.toString()));
        return RotorRunner.run(Map.of("ROTOR_VAULT_TOKEN", VaultDouble.ROOT_TOKEN,
                "PG_ADMIN_PASSWORD", EmbeddedServer.ADMIN_PASSWORD,
                "REDIS_ADMIN_PASSWORD", EmbeddedRedis.ADMIN_PASSWORD), clock, StepHook.NONE, full.toArray(String[]::new));
    }

    private String field(String name) {
        return vault.field(FIELDS, name).orElseThrow(() -> new AssertionError("no field " + name));
    }

    @Test
    void theRunbookRotatesBothWithoutDowntimePromotesThePreparedNextAndRollsRedisBack() {
        RotorRunner.Result plan = rotor("plan");
        assertEquals(0, plan.exit(), plan.all());
        assertEquals(List.of(
                "redis-pass (prod): generate -> owner redis -> 2 targets, 1 check; journal vault:journal",
                "  would write vault:REDIS_PASS_CURRENT {path=mutt/prod}",
                "  would write vault:REDIS_PASS_NEXT {path=mutt/prod}",
                "db-login (prod): generate -> owner postgres -> 3 targets, 1 check; journal vault:journal",
                "  would write vault:DB_PASS_NEXT {path=mutt/prod}",
                "  would write vault:DB_USER {path=mutt/prod} (derived)",
                "  would write vault:DB_PASS_CURRENT {path=mutt/prod}",
                "  next username: mutt_v2 (replacing mutt, kept 1h after it)",
                "summary: planned 2"), plan.out().lines().toList());

        RotorRunner.Result first = rotor("rotate", "--probe");
        assertEquals(0, first.exit(), first.all());
        String redisCurrent = field("REDIS_PASS_CURRENT");
        String redisNext = field("REDIS_PASS_NEXT");
        String dbPass = field("DB_PASS_CURRENT");
        assertEquals(List.of("DB_USER", "DB_PASS_CURRENT", "DB_PASS_NEXT", "REDIS_PASS_CURRENT", "REDIS_PASS_NEXT"),
                vault.fieldNames(FIELDS), "the runbook's fields, no other");
        assertEquals("mutt_v2", field("DB_USER"));
        assertEquals(dbPass, field("DB_PASS_NEXT"), "both password fields hold the active user's password");
        assertTrue(dbPass.length() == 32 && !dbPass.equals(DB_PASS_0), "a fresh 32-character password");
        assertTrue(redisCurrent.length() == 32 && redisNext.length() == 32);
        assertNotEquals(REDIS_PASS_0, redisCurrent);
        assertNotEquals(REDIS_NEXT_0, redisCurrent);
        assertNotEquals(redisCurrent, redisNext, "a fresh NEXT was prepared");
        assertTrue(redis.loginWorks("mutt", redisCurrent), "the new CURRENT logs in");
        assertTrue(redis.loginWorks("mutt", redisNext), "the prepared NEXT logs in");
        assertFalse(redis.loginWorks("mutt", REDIS_PASS_0), "the old CURRENT was retired");
        assertTrue(postgres.loginWorks("mutt_v2", dbPass), "the new user logs in with DB_PASS_CURRENT");
        assertTrue(postgres.loginWorks("mutt", DB_PASS_0), "the old user still logs in during its grace");
        List<String> results = first.out().lines().toList();
        assertEquals(3, results.size(), first.out());
        assertTrue(results.get(0).matches("redis-pass \\(prod\\): rotated; targets: 2 written; probe: [1-9]\\d* logins, "
                + "0 failed, longest window without a working credential 0 ms"), results.get(0));
        assertTrue(results.get(1).matches("db-login \\(prod\\): rotated; targets: 3 written; probe: [1-9]\\d* logins, "
                + "0 failed, longest window without a working credential 0 ms"), results.get(1));
        assertEquals("summary: rotated 2", results.get(2));
        assertTrue(first.err().contains("  verified: command bash -c ") && first.err().contains("  verified: command psql "),
                "both checks ran: " + first.err());
        for (String value : List.of(redisCurrent, redisNext, dbPass, REDIS_PASS_0, DB_PASS_0)) {
            assertFalse(first.all().contains(value), "no value in the output");
        }

        clock.advance(Duration.ofMinutes(59));
        RotorRunner.Result inGrace = rotor("rotate", "--only-due");
        assertEquals(0, inGrace.exit(), inGrace.all());
        assertEquals(List.of("redis-pass (prod): not due", "db-login (prod): not due", "summary: not due 2"),
                inGrace.out().lines().toList());
        assertTrue(postgres.loginWorks("mutt", DB_PASS_0), "the old user still logs in: its grace has 1 minute left");

        // the next cycle, before the first user's grace ends: the prepared NEXT is promoted, mutt_v3 takes over
        RotorRunner.Result second = rotor("rotate");
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.err().contains("promoting the prepared NEXT value"), second.err());
        assertEquals(redisNext, field("REDIS_PASS_CURRENT"), "the prepared NEXT was promoted");
        String redisNext2 = field("REDIS_PASS_NEXT");
        assertNotEquals(redisNext, redisNext2);
        assertNotEquals(redisCurrent, redisNext2);
        assertTrue(redis.loginWorks("mutt", redisNext));
        assertTrue(redis.loginWorks("mutt", redisNext2));
        assertFalse(redis.loginWorks("mutt", redisCurrent), "the CURRENT before the promotion was retired");
        String dbPass3 = field("DB_PASS_CURRENT");
        assertEquals(List.of("mutt_v3", dbPass3), List.of(field("DB_USER"), field("DB_PASS_NEXT")));
        assertTrue(postgres.loginWorks("mutt_v3", dbPass3));
        assertTrue(postgres.loginWorks("mutt_v2", dbPass), "the previous user in its grace");

        clock.advance(Duration.ofMinutes(2));
        RotorRunner.Result afterGrace = rotor("rotate", "--only-due");
        assertEquals(0, afterGrace.exit(), afterGrace.all());
        List<String> removed = afterGrace.out().lines().toList();
        assertEquals(3, removed.size(), afterGrace.out());
        assertEquals("redis-pass (prod): not due", removed.get(0));
        assertTrue(removed.get(1).matches("db-login \\(prod\\): not due; removed username mutt \\(replaced by run "
                + "[0-9a-f-]{36}\\), its grace ended 2026-11-30T11:00:00Z"), removed.get(1));
        assertEquals("summary: not due 2", removed.get(2));
        assertFalse(postgres.loginWorks("mutt", DB_PASS_0), "the first user was dropped after its grace");
        assertTrue(postgres.loginWorks("mutt_v2", dbPass), "the second user's grace runs until 12:00");

        RotorRunner.Result rollback = rotor("rollback", "--secret", "redis-pass");
        assertEquals(0, rollback.exit(), rollback.all());
        assertEquals(redisCurrent, field("REDIS_PASS_CURRENT"), "the previous CURRENT is back in Vault");
        assertTrue(redis.loginWorks("mutt", redisCurrent), "and logs in");
    }
}
