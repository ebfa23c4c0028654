package dev.rotor.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.ConsumerLoop;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dual-password (runbook 002's CURRENT/NEXT) and alternating-users (runbook 003 §2) on the real Redis through the
 * CLI: no consumer ever sees a refused login (Rotor's probe and an independent consumer loop), the old password
 * ends right after promotion, the rules of a new user are the old one's, a crash after any step resumes
 * consistently, and a rollback after promotion puts the previous CURRENT back while Redis still accepts it.
 */
class ZeroDowntimeRedisRotationTest {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final Map<String, String> env = Map.of("REDIS_ADMIN_PASSWORD", EmbeddedRedis.ADMIN_PASSWORD);

    private void manifest(String secret) throws IOException {
        Files.createDirectories(dir.resolve("vault"));
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  vault: { type: files, directory: vault }
                  cache: { type: redis, host: 127.0.0.1, port: %d, username: %s, password: "${env:REDIS_ADMIN_PASSWORD}", persist: none }
                secrets:
                """.formatted(redis.port, EmbeddedRedis.ADMIN) + secret.indent(2));
    }

    private String dual(String user) {
        return """
                redis-pass:
                  generate: { type: password, length: 32 }
                  owner: { store: cache, user: %s }
                  strategy: dual-password
                  prepare-next: true
                  targets:
                    - { store: vault, name: REDIS_PASS_CURRENT }
                    - { store: vault, name: REDIS_PASS_NEXT, slot: next }
                """.formatted(user);
    }

    private RotorRunner.Result rotor(StepHook hook, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(env, clock, hook, full.toArray(String[]::new));
    }

    private RotorRunner.Result rotor(String... args) {
        return rotor(StepHook.NONE, args);
    }

    private String vault(String field) throws IOException {
        return Files.readString(dir.resolve("vault").resolve(field));
    }

    /** A Mutt service: CURRENT first, NEXT when CURRENT is refused, read afresh for each new connection. */
    private ConsumerLoop muttService(String user) {
        return new ConsumerLoop(() -> {
            try {
                return redis.loginWorks(user, vault("REDIS_PASS_CURRENT"))
                        || redis.loginWorks(user, vault("REDIS_PASS_NEXT"));
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void dualPasswordPromotesNextWithoutARefusedLoginAndTheOldCurrentEndsAfterPromotion() throws Exception {
        redis.observe(j -> j.aclSetUser("mutt", "reset", "on", ">current-0", "~*", "+@all"));
        manifest(dual("mutt"));
        Files.writeString(dir.resolve("vault/REDIS_PASS_CURRENT"), "current-0");
        Files.writeString(dir.resolve("vault/REDIS_PASS_NEXT"), "current-0");
        List<Step> oldWorkedAfter = new ArrayList<>();
        StepHook watch = (unit, step) -> {
            if (redis.loginWorks("mutt", "current-0")) {
                oldWorkedAfter.add(step);
            }
        };

        RotorRunner.Result first;
        int failures;
        int logins;
        try (ConsumerLoop service = muttService("mutt")) {
            Thread.sleep(30);
            first = rotor(watch, "rotate", "--probe=2ms");
            service.close();
            failures = service.failed();
            logins = service.logins();
        }
        assertEquals(0, first.exit(), first.err());
        String current = vault("REDIS_PASS_CURRENT");
        String next = vault("REDIS_PASS_NEXT");
        assertNotEquals("current-0", current);
        assertNotEquals(current, next);
        assertTrue(redis.loginWorks("mutt", current));
        assertTrue(redis.loginWorks("mutt", next), "the prepared NEXT is accepted beside CURRENT");
        assertFalse(redis.loginWorks("mutt", "current-0"), "the old CURRENT ended after promotion");
        assertEquals(EnumSet.range(Step.PLAN, Step.VERIFY), EnumSet.copyOf(oldWorkedAfter),
                "the old CURRENT worked after every step until finish");
        assertTrue(first.out().matches("(?s).*redis-pass: rotated; targets: 2 written; probe: [1-9]\\d* logins, 0 failed, "
                + "longest window without a working credential 0 ms.*"), first.out());
        assertTrue(logins > 5, "the service loop ran: " + logins);
        assertEquals(0, failures, "no Mutt service saw a refused login");
        assertEquals(2, redis.passwords("mutt").size());

        RotorRunner.Result second = rotor("rotate");
        assertEquals(0, second.exit(), second.err());
        assertEquals(next, vault("REDIS_PASS_CURRENT"), "the prepared NEXT is promoted");
        assertFalse(redis.loginWorks("mutt", current));

        RotorRunner.Result rollback = rotor("rollback", "--secret", "redis-pass");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals(current, vault("REDIS_PASS_CURRENT"), "the previous CURRENT is back");
        assertTrue(redis.loginWorks("mutt", current));
        for (String value : new String[] {current, next, "current-0"}) {
            assertFalse(first.all().contains(value) || second.all().contains(value) || rollback.all().contains(value));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"PENDING", "OWNER", "TEST", "DISTRIBUTE", "VERIFY", "FINISH"})
    void aCrashAfterAnyStepOfADualPasswordRotationResumesConsistently(Step step) throws Exception {
        String user = "crash-" + step.label();
        redis.observe(j -> j.aclSetUser(user, "reset", "on", ">current-0", "~*", "+@all"));
        manifest(dual(user));
        Files.writeString(dir.resolve("vault/REDIS_PASS_CURRENT"), "current-0");
        StepHook crash = (unit, s) -> {
            if (s == step) {
                throw new RotorRunner.Crash(s.label());
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> rotor(crash, "rotate", "--run-id", "crashed"));
        JsonNode journal = new ObjectMapper().readTree(dir.resolve("vault/.rotor/journal/redis-pass.json").toFile());
        String value = step == Step.FINISH ? journal.get("current").asText() : journal.get("pending").asText();

        RotorRunner.Result resumed = rotor("rotate", "--run-id", "crashed");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(value, vault("REDIS_PASS_CURRENT"));
        String next = vault("REDIS_PASS_NEXT");
        assertNotEquals(value, next);
        assertTrue(redis.loginWorks(user, value));
        assertTrue(redis.loginWorks(user, next));
        assertFalse(redis.loginWorks(user, "current-0"));
        assertEquals(2, redis.passwords(user).size(), "exactly CURRENT and NEXT");
    }

    @Test
    void alternatingUsersCopyTheRunbooksRulesAndDeleteTheOldUserAfterTheGrace() throws Exception {
        redis.observe(j -> j.aclSetUser("backend", "reset", "on", ">backend-0", "~config:*", "-@all", "+subscribe"));
        manifest("""
                redis-login:
                  generate: { type: password, length: 32 }
                  max-age: 90d
                  owner: { store: cache, user: backend }
                  strategy: alternating-users
                  grace: 10m
                  targets:
                    - { store: vault, name: username, value: "${secret.username}" }
                    - { store: vault, name: password }
                """);
        Files.writeString(dir.resolve("vault/password"), "backend-0");
        Map<String, Object> rules = redis.rulesBesidePasswords("backend");

        RotorRunner.Result rotated = rotor("rotate", "--probe=2ms");
        assertEquals(0, rotated.exit(), rotated.err());
        assertEquals("backend_v2", vault("username"));
        assertEquals(rules, redis.rulesBesidePasswords("backend_v2"), "ACL GETUSER: the same rules");
        assertTrue(redis.loginWorks("backend_v2", vault("password")));
        assertTrue(redis.loginWorks("backend", "backend-0"), "in grace");
        assertTrue(rotated.out().contains("probe: ") && rotated.out().contains(" 0 failed"), rotated.out());

        clock.advance(Duration.ofMinutes(11));
        RotorRunner.Result later = rotor("rotate", "--only-due");
        assertEquals(0, later.exit(), later.err());
        assertFalse(redis.loginWorks("backend", "backend-0"));
        assertTrue(redis.observe(j -> j.aclGetUser("backend")) == null, "ACL DELUSER after the grace");
    }

    @Test
    void aRollbackAfterAFailedVerificationPutsThePreviousCurrentBackWhileRedisStillAcceptsIt() throws Exception {
        redis.observe(j -> j.aclSetUser("mutt-rb", "reset", "on", ">current-0", "~*", "+@all"));
        manifest(dual("mutt-rb").replace("  targets:",
                "  verify:\n    - command: \"test ! -f broken\"\n  targets:"));
        Files.writeString(dir.resolve("vault/REDIS_PASS_CURRENT"), "current-0");
        Files.writeString(dir.resolve("broken"), "the health check fails after promotion");

        RotorRunner.Result failed = rotor("rotate");
        assertEquals(3, failed.exit(), failed.err());
        String promoted = vault("REDIS_PASS_CURRENT");
        assertNotEquals("current-0", promoted, "promoted before verification failed");
        assertTrue(redis.loginWorks("mutt-rb", "current-0"), "the old CURRENT is not retired before verification");

        Files.delete(dir.resolve("broken"));
        RotorRunner.Result rollback = rotor("rollback", "--secret", "redis-pass");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals("current-0", vault("REDIS_PASS_CURRENT"));
        assertEquals("current-0", vault("REDIS_PASS_NEXT"), "NEXT copies hold the restored value too");
        assertTrue(redis.loginWorks("mutt-rb", "current-0"));
        assertFalse(redis.loginWorks("mutt-rb", promoted), "the rolled-back value is retired");
        assertEquals(1, redis.passwords("mutt-rb").size());
    }
}
