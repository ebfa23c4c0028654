package dev.rotor.store.redis;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void eachRotationAddsTheNewPasswordAndRetiresThePreviousOne() throws IOException {
        redis.user("app", "set-by-hand");
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

        RotorRunner.Result first = RotorRunner.run(env, "rotate", "--run-id", "1", "--manifest", manifest.toString());
        assertEquals(0, first.exit(), first.all());
        String one = Files.readString(dir.resolve("keys/redis-app.txt")).strip();
        assertTrue(redis.loginWorks("app", one));
        assertTrue(redis.loginWorks("app", "set-by-hand"), "a first rotation knows no old value to retire");

        RotorRunner.Result second = RotorRunner.run(env, "rotate", "--run-id", "2", "--manifest", manifest.toString());
        assertEquals(0, second.exit(), second.all());
        String two = Files.readString(dir.resolve("keys/redis-app.txt")).strip();
        assertNotEquals(one, two);
        assertTrue(redis.loginWorks("app", two));
        assertFalse(redis.loginWorks("app", one), "the previous value is retired once the rotation finished");
        for (String value : new String[] {one, two, EmbeddedRedis.ADMIN_PASSWORD}) {
            assertFalse(first.all().contains(value) || second.all().contains(value), "no value in the output");
        }
    }
}
