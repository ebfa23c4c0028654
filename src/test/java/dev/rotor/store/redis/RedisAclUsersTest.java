package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Alternating Redis ACL users against a real server: the next user holds exactly the active one's rules as Redis
 * reports them (ACL GETUSER and ACL LIST, never what Rotor sent), and an old user is dropped or set off only when no
 * session holds it, unless in an emergency.
 */
class RedisAclUsersTest {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @BeforeEach
    void noUsersLeft() {
        redis.observe(j -> j.aclDelUser("backend", "backend_v2", "news", "news_v2", "sel", "sel_v2"));
        // The runbook's own command, on a user that did not exist: no reset, so no sanitize-payload flag.
        redis.observe(j -> j.aclSetUser("backend", "on", ">backend-1", "~config:*", "+subscribe", "-@all"));
        redis.progress.clear();
    }

    @Test
    void theRunbooksSubscribeOnlyUserIsCopiedExactly() {
        redis.owner("backend").createUserLike("backend_v2", "backend-2", "backend");
        assertEquals(redis.rulesBesidePasswords("backend"), redis.rulesBesidePasswords("backend_v2"));
        assertEquals(aclListRules("backend"), aclListRules("backend_v2"));
        // Redis applies rules in order: the runbook's "+subscribe -@all" leaves no command, and so does the copy.
        assertEquals("on ~config:* &* -@all", aclListRules("backend_v2"));
        assertEquals(List.of(RedisAclOwnerTest.sha256("backend-2")), redis.passwords("backend_v2"));
        assertTrue(redis.loginWorks("backend_v2", "backend-2"));
        assertTrue(redis.loginWorks("backend", "backend-1"), "the active user is untouched");
        assertEquals(List.of(RedisAclOwnerTest.sha256("backend-1")), redis.passwords("backend"));
    }

    @Test
    void channelsSubcommandsCategoriesAndFlagsAreCopiedExactly() {
        redis.observe(j -> j.aclSetUser("news", "reset", "on", ">news-1", ">news-1b", "~cache:*", "~news:*",
                "resetchannels", "&news:*", "&alerts", "-@all", "+@read", "+config|get", "+client|list", "-keys",
                "+publish", "skip-sanitize-payload"));
        redis.owner("news").createUserLike("news_v2", "news-2", "news");
        Map<String, Object> copied = redis.rulesBesidePasswords("news_v2");
        assertEquals(redis.rulesBesidePasswords("news"), copied);
        assertEquals(aclListRules("news"), aclListRules("news_v2"));
        assertEquals(List.of("news:*", "alerts"), copied.get("channels"));
        assertEquals(List.of(RedisAclOwnerTest.sha256("news-2")), redis.passwords("news_v2"),
                "the copy has its own password only, none of the two the active user holds");
        assertFalse(redis.loginWorks("news_v2", "news-1"));
        try (Jedis session = redis.session("news_v2", "news-2")) {
            assertThrows(JedisException.class, () -> session.keys("*"), "-keys is copied");
            assertNull(session.get("cache:absent"), "+@read on ~cache:* is copied");
        }
    }

    @Test
    void aRedis7SelectorIsCopied() {
        String version = redis.observe(Jedis::info).lines().filter(line -> line.startsWith("redis_version:"))
                .findFirst().orElseThrow().substring("redis_version:".length());
        assumeTrue(Integer.parseInt(version.split("\\.")[0]) >= 7, "selectors need Redis 7; this server is " + version);
        redis.observe(j -> j.aclSetUser("sel", "reset", "on", ">sel-1", "~a:*", "+get", "(~b:* +set)"));
        redis.owner("sel").createUserLike("sel_v2", "sel-2", "sel");
        assertEquals(redis.rulesBesidePasswords("sel"), redis.rulesBesidePasswords("sel_v2"));
        assertEquals(aclListRules("sel"), aclListRules("sel_v2"));
        assertTrue(aclListRules("sel_v2").contains("(~b:* "), aclListRules("sel_v2"));
    }

    /** What Redis 7 prints for a user with a selector (this server is 6.2): the selector stays one rule. */
    @Test
    void aSelectorInAnAclListLineStaysOneRuleAndPasswordsAreDropped() {
        String hash = RedisAclOwnerTest.sha256("sel-1");
        Map<String, List<String>> rules = RedisAclOwner.rulesByUser(List.of(
                "user sel on #" + hash + " ~a:* resetchannels &news:* -@all +get (~b:* resetchannels -@all +set)",
                "user open on nopass sanitize-payload ~* &* +@all"));
        assertEquals(List.of("on", "~a:*", "resetchannels", "&news:*", "-@all", "+get",
                "(~b:* resetchannels -@all +set)"), rules.get("sel"));
        assertEquals(List.of("on", "sanitize-payload", "~*", "&*", "+@all"), rules.get("open"));
    }

    @Test
    void aReusedUserLosesEveryRuleAndPasswordTheActiveOneLacks() {
        redis.observe(j -> j.aclSetUser("backend_v2", "reset", "on", ">stale-1", "nopass", "~*", "&*", "+@all",
                "skip-sanitize-payload"));
        assertNotEquals(redis.rulesBesidePasswords("backend"), redis.rulesBesidePasswords("backend_v2"));
        Owner owner = redis.owner("backend");
        owner.createUserLike("backend_v2", "backend-3", "backend");
        owner.createUserLike("backend_v2", "backend-3", "backend");
        assertEquals(redis.rulesBesidePasswords("backend"), redis.rulesBesidePasswords("backend_v2"));
        assertEquals(List.of(RedisAclOwnerTest.sha256("backend-3")), redis.passwords("backend_v2"));
        assertFalse(redis.loginWorks("backend_v2", "stale-1"));
        assertFalse(redis.loginWorks("backend_v2", "any-value-nopass-would-take"), "nopass is gone");
    }

    @Test
    void withoutALikeTheUserKeepsItsRulesTakesOnlyTheNewPasswordAndLogsInAgain() {
        redis.owner("backend").createUserLike("backend_v2", "backend-2", "backend");
        redis.observe(j -> j.aclSetUser("backend_v2", "off", ">by-hand"));
        Map<String, Object> before = redis.rulesBesidePasswords("backend_v2");
        redis.owner("backend").createUserLike("backend_v2", "backend-4", null);
        assertEquals(withFlag(before, "off", "on"), redis.rulesBesidePasswords("backend_v2"),
                "on again; keys, channels, commands and other flags stay");
        assertEquals(List.of(RedisAclOwnerTest.sha256("backend-4")), redis.passwords("backend_v2"));
        assertTrue(redis.loginWorks("backend_v2", "backend-4"));
        assertFalse(redis.loginWorks("backend_v2", "by-hand"));
    }

    @Test
    void refusalsNameTheUserAndCreateNothing() {
        Owner owner = redis.owner("backend");
        StoreException missingLike = assertThrows(StoreException.class,
                () -> owner.createUserLike("backend_v2", "backend-2", "nobody"));
        assertEquals(StoreException.Kind.NOT_FOUND, missingLike.kind());
        assertTrue(missingLike.getMessage().contains("'nobody'"), missingLike.getMessage());
        StoreException missingUser = assertThrows(StoreException.class,
                () -> owner.createUserLike("backend_v2", "backend-2", null));
        assertEquals(StoreException.Kind.NOT_FOUND, missingUser.kind());
        redis.observe(j -> j.aclSetUser("news", "reset", "off", ">news-1", "~*", "+@all"));
        StoreException offLike = assertThrows(StoreException.class,
                () -> owner.createUserLike("backend_v2", "backend-2", "news"));
        assertEquals(StoreException.Kind.INVALID, offLike.kind());
        assertTrue(offLike.getMessage().contains("'news' is off"), offLike.getMessage());
        assertNull(redis.observe(j -> j.aclGetUser("backend_v2")), "no user was created");

        for (StoreException admin : List.of(
                assertThrows(StoreException.class, () -> owner.createUserLike(EmbeddedRedis.ADMIN, "x-1", "backend")),
                assertThrows(StoreException.class, () -> owner.removeUser(EmbeddedRedis.ADMIN, true)))) {
            assertEquals(StoreException.Kind.INVALID, admin.kind());
            assertTrue(admin.getMessage().contains("admin Rotor connects as"), admin.getMessage());
        }
        assertTrue(redis.loginWorks(EmbeddedRedis.ADMIN, EmbeddedRedis.ADMIN_PASSWORD));
        for (StoreException e : List.of(missingLike, missingUser, offLike)) {
            assertFalse(e.getMessage().contains("backend-2"), e.getMessage());
        }
    }

    @Test
    void createUserLikeSendsOnlyAHashAndSavesAsAcceptDoes() throws IOException {
        String canary = "Create-Canary-4c1d";
        try (RecordingProxy proxy = new RecordingProxy(redis.port)) {
            redis.owner(proxy, "backend").createUserLike("backend_v2", canary, "backend");
            String sent = proxy.sent();
            assertTrue(sent.contains("#" + RedisAclOwnerTest.sha256(canary)), "the password went as a hash");
            assertFalse(sent.contains(canary), "the plaintext never travels in ACL SETUSER");
        }
        assertTrue(redis.loginWorks("backend_v2", canary));
        assertEquals(1, redis.progress.size(), "auto persist tried ACL SAVE: " + redis.progress);
        assertTrue(redis.progress.get(0).contains("ACL SAVE did not run") && redis.progress.get(0)
                .contains("'backend_v2'"), redis.progress.get(0));
        Map<String, Object> settings = redis.settings();
        settings.put("persist", "acl-save");
        StoreException e = assertThrows(StoreException.class,
                () -> redis.owner(settings, "backend").createUserLike("backend_v2", "backend-5", "backend"));
        assertTrue(e.getMessage().contains("ACL SAVE"), e.getMessage());
    }

    /** The downtime probe calls test(user, value) every few ms from its own thread while the rotation runs. */
    @Test
    void testAsAUserIsSafeFromManyThreadsAtOnce() throws Exception {
        Owner owner = redis.owner("backend");
        owner.createUserLike("backend_v2", "backend-2", "backend");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<String>>> logins = new ArrayList<>();
            List<Future<StoreException>> refusals = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                logins.add(threads.submit(() -> owner.test("backend_v2", "backend-2")));
                logins.add(threads.submit(() -> owner.test("backend-1")));
                refusals.add(threads.submit(() -> assertThrows(StoreException.class,
                        () -> owner.test("backend_v2", "backend-1"))));
            }
            for (Future<Optional<String>> login : logins) {
                assertEquals(Optional.empty(), login.get());
            }
            for (Future<StoreException> refusal : refusals) {
                assertTrue(refusal.get().getMessage().contains("'backend_v2'"), refusal.get().getMessage());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void openSessionsHoldAUserBackAndNothingChanges() {
        redis.owner("backend").createUserLike("backend_v2", "backend-2", "backend");
        Map<String, Object> before = redis.rulesBesidePasswords("backend_v2");
        for (Owner owner : List.of(redis.owner("backend"), nologinOwner())) {
            try (Jedis first = redis.session("backend_v2", "backend-2")) {
                assertEquals(Optional.of("1 open session"), owner.removeUser("backend_v2", false));
                try (Jedis second = redis.session("backend_v2", "backend-2")) {
                    assertEquals(Optional.of("2 open sessions"), owner.removeUser("backend_v2", false));
                }
            }
            assertEquals(before, redis.rulesBesidePasswords("backend_v2"));
            assertTrue(redis.loginWorks("backend_v2", "backend-2"));
        }
    }

    @Test
    void anAdminWithoutClientListIsToldWhatToGrantAndNothingChanges() {
        redis.owner("backend").createUserLike("backend_v2", "backend-2", "backend");
        redis.observe(j -> j.aclSetUser("acl-only-admin", "reset", "on", ">acl-only-password", "+acl"));
        Map<String, Object> settings = redis.settings();
        settings.put("username", "acl-only-admin");
        settings.put("password", "acl-only-password");
        StoreException e = assertThrows(StoreException.class,
                () -> redis.owner(settings, "backend").removeUser("backend_v2", false));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("CLIENT LIST") && e.suggestion().contains("+client|list"),
                e.getMessage() + " / " + e.suggestion());
        assertTrue(redis.loginWorks("backend_v2", "backend-2"));
    }

    @Test
    void dropDeletesTheUserOnceNoSessionIsOpen() {
        Owner owner = redis.owner("backend");
        owner.createUserLike("backend_v2", "backend-2", "backend");
        assertEquals(Optional.empty(), owner.removeUser("backend_v2", false));
        assertNull(redis.observe(j -> j.aclGetUser("backend_v2")));
        assertEquals(Optional.empty(), owner.removeUser("backend_v2", false), "a user already gone is removed");
        assertEquals(Optional.empty(), owner.removeUser("never-existed", true));
        assertTrue(redis.loginWorks("backend", "backend-1"));
    }

    @Test
    void anEmergencyDropEndsTheOpenSessions() {
        Owner owner = redis.owner("backend");
        owner.createUserLike("backend_v2", "backend-2", "backend");
        try (Jedis session = redis.session("backend_v2", "backend-2")) {
            assertEquals(Optional.empty(), owner.removeUser("backend_v2", true));
            assertNull(redis.observe(j -> j.aclGetUser("backend_v2")));
            assertThrows(JedisException.class, session::ping, "Redis disconnected the dropped user's session");
        }
        assertEquals(0, RedisAclOwner.openSessions(redis.observe(Jedis::clientList), "backend_v2"));
    }

    @Test
    void nologinSetsTheUserOffAndKeepsItsRules() {
        Owner owner = nologinOwner();
        owner.createUserLike("backend_v2", "backend-2", "backend");
        Map<String, Object> before = redis.rulesBesidePasswords("backend_v2");
        assertEquals(Optional.empty(), owner.removeUser("backend_v2", false));
        assertFalse(redis.loginWorks("backend_v2", "backend-2"));
        assertEquals(withFlag(before, "on", "off"), redis.rulesBesidePasswords("backend_v2"));
        assertEquals(List.of(RedisAclOwnerTest.sha256("backend-2")), redis.passwords("backend_v2"));
        assertEquals(Optional.empty(), owner.removeUser("backend_v2", false), "removing again is done");
    }

    @Test
    void anEmergencyNologinKillsTheOpenSessions() {
        Owner owner = nologinOwner();
        owner.createUserLike("backend_v2", "backend-2", "backend");
        Map<String, Object> before = redis.rulesBesidePasswords("backend_v2");
        try (Jedis session = redis.session("backend_v2", "backend-2");
             Jedis active = redis.session("backend", "backend-1")) {
            assertEquals(Optional.empty(), owner.removeUser("backend_v2", true));
            assertThrows(JedisException.class, session::ping, "CLIENT KILL USER ended the session");
            assertFalse(redis.loginWorks("backend_v2", "backend-2"));
            assertEquals(withFlag(before, "on", "off"), redis.rulesBesidePasswords("backend_v2"));
            assertThrows(JedisException.class, active::ping, "backend may not PING, but its session is open: "
                    + "only the removed user's sessions end");
            assertEquals(1, RedisAclOwner.openSessions(redis.observe(Jedis::clientList), "backend"));
        }
    }

    /** ACL GETUSER rules with one flag swapped for another, everything else as it was. */
    private static Map<String, Object> withFlag(Map<String, Object> rules, String was, String now) {
        List<Object> flags = new ArrayList<>((List<?>) rules.get("flags"));
        assertTrue(flags.contains(was), flags.toString());
        flags.set(flags.indexOf(was), now);
        Map<String, Object> changed = new java.util.HashMap<>(rules);
        changed.put("flags", flags);
        return changed;
    }

    private static Owner nologinOwner() {
        return redis.owner(redis.settings(), Map.of("user", "backend", "retire-user", "nologin"));
    }

    /** The user's ACL LIST line as the server prints it, without {@code user NAME} and the password hashes. */
    private static String aclListRules(String user) {
        String line = redis.observe(Jedis::aclList).stream().filter(l -> l.startsWith("user " + user + " "))
                .findFirst().orElseThrow();
        return line.substring(("user " + user + " ").length()).replaceAll(" ?#[0-9a-f]{64}", "").trim();
    }
}
