package dev.rotor.store.redis;

import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rotor rotate` end to end with a real Redis ACL user as the owner and a files target. */
class RedisRotationTest {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @TempDir
    Path dir;

    @Test
    void theFirstRotationEndsThePasswordSetByHandAtFinishAndEachLaterOneThePreviousValue() throws IOException {
        redis.observe(j -> j.aclSetUser("app", "reset", "on", ">set-by-hand", "~cache:*", "resetchannels", "&events:*",
                "+get", "+set", "+ping"));
        Map<String, Object> rulesBefore = redis.rulesBesidePasswords("app");
        Path manifest = dir.resolve("rotation.yml");
        Files.writeString(manifest, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  cache: { type: redis, host: 127.0.0.1, port: %d, username: %s, password: "${env:REDIS_ADMIN_PASSWORD}", persist: none }
                secrets:
                  redis-app-password:
                    generate: { type: password, length: 32 }
                    owner: { store: cache, user: app }
                    targets:
                      - { store: keys, name: redis-app.txt }
                """.formatted(redis.port, EmbeddedRedis.ADMIN));
        Map<String, String> env = Map.of("REDIS_ADMIN_PASSWORD", EmbeddedRedis.ADMIN_PASSWORD);
        List<Step> handSetWorkedAfter = new ArrayList<>();
        StepHook watch = (unit, step) -> {
            if (redis.loginWorks("app", "set-by-hand")) {
                handSetWorkedAfter.add(step);
            }
        };

        RotorRunner.Result first = RotorRunner.run(env, Clock.systemUTC(), watch, "rotate", "--run-id", "1",
                "--manifest", manifest.toString());
        assertEquals(0, first.exit(), first.all());
        String one = Files.readString(dir.resolve("keys/redis-app.txt")).strip();
        assertTrue(redis.loginWorks("app", one));
        assertFalse(redis.loginWorks("app", "set-by-hand"), "the hand-set password ends with the first rotation");
        assertEquals(EnumSet.range(Step.PLAN, Step.VERIFY), EnumSet.copyOf(handSetWorkedAfter),
                "zero downtime: the hand-set password works after every step until finish");
        assertEquals(rulesBefore, redis.rulesBesidePasswords("app"), "the user's other ACL rules are unchanged");

        RotorRunner.Result second = RotorRunner.run(env, "rotate", "--run-id", "2", "--manifest", manifest.toString());
        assertEquals(0, second.exit(), second.all());
        String two = Files.readString(dir.resolve("keys/redis-app.txt")).strip();
        assertNotEquals(one, two);
        assertTrue(redis.loginWorks("app", two));
        assertFalse(redis.loginWorks("app", one), "the previous value is retired once the rotation finished");
        assertEquals(rulesBefore, redis.rulesBesidePasswords("app"));
        for (String value : new String[] {one, two, EmbeddedRedis.ADMIN_PASSWORD}) {
            assertFalse(first.all().contains(value) || second.all().contains(value), "no value in the output");
        }
    }
}
