package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.Provider;
import dev.rotor.store.Providers;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code type: redis} as the registry and validation see it; no server needed. */
class RedisProviderTest {
    private static final ProviderContext CONTEXT =
            new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { });

    @Test
    void isARegisteredOwnerNotAStore() {
        Provider provider = Providers.byType("redis").orElseThrow();
        assertTrue(provider instanceof RedisProvider);
        assertTrue(provider.isOwner());
        assertFalse(provider.isStore());
        assertTrue(provider.capabilities().isEmpty());
        assertEquals(Set.of("user", "probe", "alternate-with", "series", "retire-user"), provider.ownerKeys());
        assertEquals(Set.of("host", "password"), provider.requiredSettingKeys());
        StoreException e = assertThrows(StoreException.class, () -> provider.openStore("cache", settings(), CONTEXT));
        assertEquals(StoreException.Kind.INVALID, e.kind());
    }

    @Test
    void opensAnOwnerWithSeveralCredentialsAndUsersWithoutANetworkCall() {
        Owner owner = new RedisProvider().openOwner("cache", settings(), Map.of("user", "app"), CONTEXT);
        assertEquals(Set.of(Owner.Ability.SEVERAL_CREDENTIALS, Owner.Ability.SEVERAL_USERS), owner.abilities());
        for (String retireUser : List.of("drop", "nologin")) {
            new RedisProvider().openOwner("cache", settings(), Map.of("user", "app", "retire-user", retireUser),
                    CONTEXT);
        }
    }

    @Test
    void anUnknownRetireUserIsRefusedNamingTheKey() {
        StoreException e = assertThrows(StoreException.class, () -> new RedisProvider().openOwner("cache",
                settings(), Map.of("user", "app", "retire-user", "disable"), CONTEXT));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("retire-user") && e.getMessage().contains("'cache'"), e.getMessage());
    }

    @Test
    void allSettingProblemsAreReportedTogetherWithoutThePassword() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("port", "http");
        settings.put("tls", "maybe");
        settings.put("persist", "sometimes");
        StoreException e = assertThrows(StoreException.class,
                () -> new RedisProvider().openOwner("cache", settings, Map.of("user", "app"), CONTEXT));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        for (String part : new String[] {"host", "password", "port", "tls", "persist"}) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void theOwnerNeedsAUser() {
        StoreException e = assertThrows(StoreException.class,
                () -> new RedisProvider().openOwner("cache", settings(), Map.of(), CONTEXT));
        assertTrue(e.getMessage().contains("user"), e.getMessage());
    }

    @Test
    void settingsDefaultAndNeverShowThePassword() {
        RedisSettings parsed = RedisSettings.parse("cache", settings());
        assertEquals("default", parsed.username());
        assertEquals(6379, parsed.port());
        assertEquals(RedisSettings.Persist.AUTO, parsed.persist());
        assertFalse(parsed.toString().contains("admin-pass-xyz"));
    }

    @Test
    void theHashIsRedisOwnSha256Hex() {
        // echo -n foobar | sha256sum, the password Redis' ACL documentation hashes
        assertEquals("c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2", RedisAclOwner.hash("foobar"));
    }

    @Test
    void validateReportsAnOwnerWithoutItsUserAndBadSettingsAtTheirPositionsButNotTemplates(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  cache: { type: redis, host: redis.internal, port: "${env:REDIS_PORT}", password: "${env:REDIS_PW}",
                           tls: maybe, database: -1, persist: sometimes }
                secrets:
                  redis-app-password:
                    generate: { type: password, length: 32 }
                    owner: { store: cache }
                    targets:
                      - { store: keys, name: redis-app.txt }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of("REDIS_PORT", "http", "REDIS_PW", "x"), "validate", "-m",
                file.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals(List.of(
                file + ":5:17: error: stores.cache.tls: tls must be true or false",
                file + ":5:34: error: stores.cache.database: database must be a whole number, 0 or more "
                        + "(e.g. database: 0)",
                file + ":5:47: error: stores.cache.persist: persist must be one of auto, acl-save, config-rewrite, none "
                        + "(see docs/redis.md, Persistence)",
                file + ":9:5: error: secrets.redis-app-password.owner: the owner names no redis user: 'user' is "
                        + "required (add 'user: NAME', the user whose credential rotates)",
                "error: " + file + ": 4 errors; nothing was written"), r.err().lines().toList());
    }

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("host", "redis.internal");
        settings.put("password", "admin-pass-xyz");
        return settings;
    }
}
