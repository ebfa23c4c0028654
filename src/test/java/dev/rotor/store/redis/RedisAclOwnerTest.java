package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis ACL owner against a real server: promise 2, preflight refusals, and no value in anything Redis keeps. */
class RedisAclOwnerTest {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @BeforeEach
    void user() {
        redis.user("app", "current-value");
        redis.progress.clear();
    }

    @Test
    void oldAndNewBothLogInBetweenAcceptAndRetireThenOnlyNew() {
        Owner owner = redis.owner("app");
        owner.preflight(null);
        owner.accept("next-value", "current-value");
        assertTrue(redis.loginWorks("app", "current-value"), "promise 2: the old value works until retire");
        assertTrue(redis.loginWorks("app", "next-value"));
        owner.test("next-value");
        owner.test("current-value");

        owner.retire("current-value", java.util.List.of("next-value"));
        assertFalse(redis.loginWorks("app", "current-value"));
        assertTrue(redis.loginWorks("app", "next-value"));
        assertThrows(StoreException.class, () -> owner.test("current-value"));
        assertDoesNotThrow(() -> owner.retire("current-value", java.util.List.of("next-value")), "a resumed retire is done");
        assertTrue(redis.loginWorks("app", "next-value"));
    }

    /** Runbook 002: NEXT accepted beside CURRENT, promoted, a fresh NEXT prepared, then the old CURRENT retired. */
    @Test
    void dualPasswordRetireKeepsThePromotedCurrentAndThePreparedNext() throws IOException {
        String wireCurrent = "Promoted-Current-3d4e";
        String wireNext = "Prepared-Next-8a9b";
        try (RecordingProxy proxy = new RecordingProxy(redis.port)) {
            Owner owner = redis.owner(proxy, "app");
            owner.accept(wireCurrent, "current-value");
            assertTrue(redis.loginWorks("app", "current-value"), "CURRENT works beside the accepted NEXT");
            assertTrue(redis.loginWorks("app", wireCurrent));
            owner.accept(wireNext, "current-value");

            owner.retire("current-value", List.of(wireCurrent, wireNext));
            assertFalse(redis.loginWorks("app", "current-value"), "the old CURRENT stops at retire");
            assertTrue(redis.loginWorks("app", wireCurrent), "the promoted CURRENT keeps working");
            assertTrue(redis.loginWorks("app", wireNext), "the prepared NEXT logs in before it is promoted");
            assertEquals(java.util.Set.of(sha256(wireCurrent), sha256(wireNext)),
                    java.util.Set.copyOf(redis.passwords("app")));
            assertEquals(2, redis.passwords("app").size());

            owner.retire("current-value", List.of(wireCurrent, wireNext));
            assertEquals(java.util.Set.of(sha256(wireCurrent), sha256(wireNext)),
                    java.util.Set.copyOf(redis.passwords("app")), "a resumed retire changes nothing");
            String sent = proxy.sent();
            for (String value : List.of(wireCurrent, wireNext, "current-value")) {
                assertFalse(sent.contains(value), "only hashes travel, never " + value);
            }
        }
    }

    @Test
    void retireKeepingNoValueIsRefusedAndChangesNothing() {
        Owner owner = redis.owner("app");
        StoreException e = assertThrows(StoreException.class, () -> owner.retire("current-value", List.of()));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(redis.loginWorks("app", "current-value"));
    }

    /** SHA-256 hex as Redis stores it, computed here with the JDK, not by the owner. */
    static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void passwordsAreStoredAsTheHashesRotorSends() {
        redis.owner("app").accept("next-value", "current-value");
        List<String> passwords = redis.observe(j -> j.aclGetUser("app")).getPasswords();
        assertEquals(List.of(RedisAclOwner.hash("current-value"), RedisAclOwner.hash("next-value")), passwords);
    }

    @Test
    void aPasswordSetByHandWorksUntilRetireThenOnlyTheNewOneAndEveryOtherRuleIsKept() {
        redis.observe(j -> j.aclSetUser("app", "reset", "on", ">handset", ">second-by-hand", "~cache:*",
                "resetchannels", "&events:*", "+get", "+set", "+ping"));
        Map<String, Object> before = redis.rulesBesidePasswords("app");
        Owner owner = redis.owner("app");
        owner.preflight(null);
        owner.accept("first-rotated", null);
        assertTrue(redis.loginWorks("app", "handset"), "zero downtime: the hand-set password works until retire");
        assertTrue(redis.loginWorks("app", "second-by-hand"));
        assertTrue(redis.loginWorks("app", "first-rotated"));

        owner.retire(null, java.util.List.of("first-rotated"));
        assertFalse(redis.loginWorks("app", "handset"));
        assertFalse(redis.loginWorks("app", "second-by-hand"));
        assertTrue(redis.loginWorks("app", "first-rotated"));
        assertEquals(List.of(RedisAclOwner.hash("first-rotated")),
                redis.observe(j -> j.aclGetUser("app")).getPasswords());
        assertEquals(before, redis.rulesBesidePasswords("app"), "keys, channels, commands and flags are unchanged");
    }

    @Test
    void preflightRefusesAnUnknownUserNamingIt() {
        StoreException e = assertThrows(StoreException.class, () -> redis.owner("nobody").preflight(null));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("'nobody'"), e.getMessage());
        assertNull(redis.observe(j -> j.aclGetUser("nobody")), "preflight creates no user");
    }

    @Test
    void acceptNeverCreatesAUser() {
        StoreException e = assertThrows(StoreException.class, () -> redis.owner("ghost").accept("v-1", null));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertNull(redis.observe(j -> j.aclGetUser("ghost")));
    }

    @Test
    void preflightRefusesAnAdminWithoutAcl() {
        StoreException e = preflightAs("weak-admin", "weak-admin-password", "+ping");
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("weak-admin") && e.getMessage().contains("'app'"), e.getMessage());
        assertFalse(e.getMessage().contains("weak-admin-password"));
    }

    @Test
    void preflightRefusesAnAdminThatMayReadButNotChangeUsers() {
        StoreException e = preflightAs("reader", "reader-password", "+acl|getuser");
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("ACL SETUSER"), e.getMessage());
    }

    /** Preflight of user app as an admin {@code name} with only {@code permissions}; returns the refusal. */
    private static StoreException preflightAs(String name, String password, String permissions) {
        redis.observe(j -> j.aclSetUser(name, "reset", "on", ">" + password, permissions));
        Map<String, Object> settings = redis.settings();
        settings.put("username", name);
        settings.put("password", password);
        return assertThrows(StoreException.class, () -> redis.owner(settings, "app").preflight(null));
    }

    @Test
    void preflightRefusesAWrongAdminPasswordWithoutEchoingIt() {
        Map<String, Object> settings = redis.settings();
        settings.put("password", "wrong-admin-password");
        StoreException e = assertThrows(StoreException.class, () -> redis.owner(settings, "app").preflight(null));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertFalse(e.getMessage().contains("wrong-admin-password"));
    }

    @Test
    void preflightRefusesRotatingTheAdminItself() {
        StoreException e = assertThrows(StoreException.class, () -> redis.owner(EmbeddedRedis.ADMIN).preflight(null));
        assertEquals(StoreException.Kind.INVALID, e.kind());
    }

    @Test
    void anUnreachableServerIsTransient() throws IOException {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> settings = redis.settings();
        settings.put("port", closed);
        StoreException e = assertThrows(StoreException.class, () -> redis.owner(settings, "app").preflight(null));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertTrue(e.transientFailure());
    }

    @Test
    void withoutAnAclFileAutoPersistWarnsOnceAndAclSaveFails() {
        Owner owner = redis.owner("app");
        owner.accept("next-value", "current-value");
        owner.retire("current-value", java.util.List.of("next-value"));
        assertEquals(1, redis.progress.size(), redis.progress.toString());
        assertTrue(redis.progress.get(0).contains("ACL SAVE did not run"), redis.progress.get(0));

        redis.observe(j -> j.aclSetUser(EmbeddedRedis.ADMIN, "+acl"));
        Map<String, Object> settings = redis.settings();
        settings.put("persist", "acl-save");
        StoreException e = assertThrows(StoreException.class, () -> redis.owner(settings, "app").accept("v-2", null));
        assertEquals(StoreException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("ACL SAVE"), e.getMessage());
        assertTrue(redis.loginWorks("app", "v-2"), "the ACL change itself was made; a re-run repeats it");

        settings.put("persist", "none");
        redis.progress.clear();
        redis.owner(settings, "app").accept("v-3", null);
        assertTrue(redis.progress.isEmpty());
    }

    @Test
    void noValueReachesTheSlowlogTheAclLogClientListOrAMessage() {
        String canary = "Canary-Value-7f3a9c";
        String refused = "Refused-Value-1b2c3d";
        redis.observe(j -> j.slowlogReset());
        redis.observe(j -> j.aclLogReset());
        List<String> said = new ArrayList<>();

        Owner owner = redis.owner("app");
        owner.preflight(null);
        owner.accept(canary, "current-value");
        owner.test(canary);
        owner.accept(canary, "current-value");
        owner.retire("current-value", java.util.List.of(canary));
        owner.retire("current-value", java.util.List.of(canary));
        said.add(assertThrows(StoreException.class, () -> owner.test(refused)).getMessage());
        said.add(assertThrows(StoreException.class, () -> redis.owner("nobody").accept(canary, null)).getMessage());
        said.add(assertThrows(StoreException.class, () -> redis.owner("nobody").retire(null, java.util.List.of(canary))).getMessage());
        said.addAll(redis.progress);

        String slowlog = redis.observe(j -> render(j.sendCommand(Protocol.Command.SLOWLOG, "GET", "-1")));
        assertTrue(slowlog.toLowerCase().contains("setuser"), "the slowlog did record the ACL commands: " + slowlog);
        String aclLog = redis.observe(j -> render(j.sendCommand(Protocol.Command.ACL, "LOG")));
        assertTrue(aclLog.contains("app"), "the refused AUTH is in the ACL log: " + aclLog);
        String clients = redis.observe(Jedis::clientList);
        for (String value : List.of(canary, refused, "current-value")) {
            for (String place : List.of(slowlog, aclLog, clients, String.join("\n", said))) {
                assertFalse(place.contains(value), value + " leaked into " + place);
            }
        }
    }

    @Test
    void acceptAndRetireSendOnlyHashesOverTheWire() throws IOException {
        String canary = "Wire-Canary-5e6f";
        try (RecordingProxy proxy = new RecordingProxy(redis.port)) {
            Owner owner = redis.owner(proxy, "app");
            owner.preflight(null);
            owner.accept(canary, "current-value");
            owner.retire("current-value", java.util.List.of(canary));
            String sent = proxy.sent();
            assertTrue(sent.contains("#" + RedisAclOwner.hash(canary)), "the new password went as a hash");
            assertTrue(sent.contains("resetpass"), "retire keeps only that hash");
            assertFalse(sent.contains(canary), "the plaintext of the new value never travels in ACL SETUSER");
            assertFalse(sent.contains("current-value"));
        }
        assertTrue(redis.loginWorks("app", canary));
    }

    /** Flattens a raw reply (nested lists of byte arrays and numbers) to text. */
    private static String render(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            for (Object item : list) {
                text.append(render(item)).append(' ');
            }
            return text.append(']').toString();
        }
        return String.valueOf(reply);
    }
}
