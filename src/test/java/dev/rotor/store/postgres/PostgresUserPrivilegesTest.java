package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alternating users on a real server: a user made like the active one holds exactly its privileges, as the catalogs
 * show them (an independent snapshot, never the statements Rotor sent), and removal is held back by what the
 * catalogs say holds it.
 */
class PostgresUserPrivilegesTest {
    private static final String SUPER_ADMIN = "pv_super_admin";
    private static final String SUPER_PASSWORD = "pv-super-Jw61";
    private static final String ACTIVE = "pv_active";
    private static final String ACTIVE_PASSWORD = "pv-active-Gs20";
    private static final List<String> ACTIVE_PRIVILEGES = List.of(
            "database postgres CONNECT grantable=f by postgres",
            "database postgres CREATE grantable=f by postgres",
            "default for postgres in - on S SELECT grantable=f by postgres",
            "default for postgres in pv_a on r SELECT grantable=f by postgres",
            "member of pv_reader admin=f inherit=t set=t by postgres",
            "member of pv_writer admin=t inherit=t set=t by postgres",
            "relation \"Pv B\".\"Line Items\" (r) SELECT grantable=t by postgres",
            "relation \"Pv B\".\"Line Items\".qty UPDATE grantable=f by postgres",
            "relation pv_a.open_orders (v) SELECT grantable=f by postgres",
            "relation pv_a.order_ids (S) SELECT grantable=f by postgres",
            "relation pv_a.order_ids (S) USAGE grantable=f by postgres",
            "relation pv_a.orders (r) INSERT grantable=f by postgres",
            "relation pv_a.orders (r) SELECT grantable=f by postgres",
            "role super=f inherit=t createrole=f createdb=f login=t replication=f "
                    + "bypassrls=f connlimit=7",
            "routine pv_a.total(integer,integer) EXECUTE grantable=f by postgres",
            "schema \"Pv B\" USAGE grantable=f by postgres",
            "schema pv_a CREATE grantable=f by postgres",
            "schema pv_a USAGE grantable=f by postgres",
            "type pv_a.mood USAGE grantable=f by postgres");
    private final EmbeddedServer server = EmbeddedServer.get();

    @BeforeAll
    static void aRichlyPrivilegedActiveUser() {
        EmbeddedServer.get().sql(
                "CREATE ROLE " + SUPER_ADMIN + " LOGIN SUPERUSER PASSWORD '" + SUPER_PASSWORD + "'",
                "CREATE ROLE pv_reader NOLOGIN", "CREATE ROLE pv_writer NOLOGIN", "CREATE ROLE pv_extra NOLOGIN",
                "CREATE ROLE " + ACTIVE + " LOGIN CONNECTION LIMIT 7 PASSWORD '" + ACTIVE_PASSWORD + "'",
                "GRANT pv_reader TO " + ACTIVE, "GRANT pv_writer TO " + ACTIVE + " WITH ADMIN OPTION",
                "GRANT CONNECT, CREATE ON DATABASE postgres TO " + ACTIVE,
                "CREATE SCHEMA pv_a", "CREATE SCHEMA \"Pv B\"", "CREATE SCHEMA pv_scratch",
                "GRANT USAGE, CREATE ON SCHEMA pv_a TO " + ACTIVE, "GRANT USAGE ON SCHEMA \"Pv B\" TO " + ACTIVE,
                "CREATE TABLE pv_a.orders (id int, status text)",
                "CREATE TABLE \"Pv B\".\"Line Items\" (id int, qty int)",
                "CREATE TABLE pv_a.secrets (id int)",
                "CREATE VIEW pv_a.open_orders AS SELECT * FROM pv_a.orders",
                "GRANT SELECT, INSERT ON pv_a.orders TO " + ACTIVE,
                "GRANT SELECT ON pv_a.open_orders TO " + ACTIVE,
                "GRANT SELECT ON \"Pv B\".\"Line Items\" TO " + ACTIVE + " WITH GRANT OPTION",
                "GRANT UPDATE (qty) ON \"Pv B\".\"Line Items\" TO " + ACTIVE,
                "CREATE SEQUENCE pv_a.order_ids", "GRANT USAGE, SELECT ON SEQUENCE pv_a.order_ids TO " + ACTIVE,
                "CREATE FUNCTION pv_a.total(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'",
                "REVOKE EXECUTE ON FUNCTION pv_a.total(int, int) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION pv_a.total(int, int) TO " + ACTIVE,
                "CREATE TYPE pv_a.mood AS ENUM ('ok')", "GRANT USAGE ON TYPE pv_a.mood TO " + ACTIVE,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA pv_a GRANT SELECT ON TABLES TO " + ACTIVE,
                "ALTER DEFAULT PRIVILEGES GRANT SELECT ON SEQUENCES TO " + ACTIVE);
    }

    /** Each catalog with an ACL Rotor copies: what a line calls the object, the catalog, its ACL column. */
    private Owner owner(String retireUser) {
        return server.owner(SUPER_ADMIN, SUPER_PASSWORD, Map.of("user", ACTIVE, "retire-user", retireUser));
    }

    private boolean exists(String role) {
        return "1".equals(server.query("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"));
    }

    private boolean canLogIn(String role) {
        return "t".equals(server.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = '" + role + "'"));
    }

    @Test
    void aNewUserHoldsExactlyTheActiveUsersPrivileges() throws java.io.IOException {
        assertEquals(ACTIVE_PRIVILEGES, server.privileges(ACTIVE), "the snapshot sees every privilege given above");
        owner("drop").createUserLike("pv_next", "pv-next-Hy73", ACTIVE);
        assertEquals(ACTIVE_PRIVILEGES, server.privileges("pv_next"));
        assertTrue(server.loginWorks("pv_next", "pv-next-Hy73"));
        assertFalse(java.nio.file.Files.readString(server.log()).contains("pv-next-Hy73"),
                "only the SCRAM verifier reached the server");
        assertTrue(server.loginWorks(ACTIVE, ACTIVE_PASSWORD), "the active user is untouched");
        assertEquals(ACTIVE_PRIVILEGES, server.privileges(ACTIVE));
    }

    @Test
    void aResetUserLosesWhatTheActiveOneLacks() {
        server.sql("CREATE ROLE pv_stale NOLOGIN NOINHERIT CREATEDB CONNECTION LIMIT 2 VALID UNTIL '2001-01-01' "
                        + "PASSWORD 'pv-stale-old-Ua11'",
                "GRANT pv_extra TO pv_stale", "GRANT pv_reader TO pv_stale WITH ADMIN OPTION",
                "GRANT TEMPORARY ON DATABASE postgres TO pv_stale",
                "GRANT CREATE ON SCHEMA \"Pv B\" TO pv_stale",
                "GRANT SELECT ON pv_a.orders TO pv_stale WITH GRANT OPTION",
                "GRANT SELECT, DELETE ON pv_a.secrets TO pv_stale",
                "GRANT UPDATE (status) ON pv_a.orders TO pv_stale",
                "GRANT UPDATE ON \"Pv B\".\"Line Items\" TO pv_stale",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA pv_a GRANT INSERT ON TABLES TO pv_stale",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA \"Pv B\" GRANT SELECT ON TABLES TO pv_stale");
        owner("drop").createUserLike("pv_stale", "pv-stale-new-Ua12", ACTIVE);
        assertEquals(ACTIVE_PRIVILEGES, server.privileges("pv_stale"));
        assertTrue(server.loginWorks("pv_stale", "pv-stale-new-Ua12"), "LOGIN again, and the old expiry is gone");
        assertFalse(server.loginWorks("pv_stale", "pv-stale-old-Ua11"));
    }

    @Test
    void withoutAModelOnlyLoginAndPasswordChange() {
        server.sql("CREATE ROLE pv_rollback NOLOGIN CONNECTION LIMIT 3 PASSWORD 'pv-rollback-old-Zp40'",
                "GRANT pv_extra TO pv_rollback");
        List<String> before = server.privileges("pv_rollback");
        owner("drop").createUserLike("pv_rollback", "pv-rollback-new-Zp41", null);
        assertEquals(before.stream().map(line -> line.replace("login=f", "login=t")).toList(),
                server.privileges("pv_rollback"));
        assertTrue(server.loginWorks("pv_rollback", "pv-rollback-new-Zp41"));
    }

    @Test
    void anAdminThatCannotGrantEverythingChangesNothing() {
        StoreException e = assertThrows(StoreException.class,
                () -> server.owner(ACTIVE).createUserLike("pv_partial", "pv-partial-Kk09", ACTIVE));
        assertEquals(Kind.PERMISSION, e.kind(), e.getMessage());
        assertEquals("postgres store 'db' (localhost:" + server.port() + "/postgres): making role 'pv_partial' like "
                + "role 'pv_active': permission denied (SQLState 42501) at: GRANT pv_reader TO \"pv_partial\" "
                + "WITH ADMIN false, INHERIT true, SET true", e.getMessage());
        assertFalse(e.getMessage().contains("pv-partial-Kk09"));
        assertFalse(exists("pv_partial"), "one transaction: the role was not even created");
    }

    @Test
    void removalIsHeldBackByAnOpenSessionAndByAnOwnedTableThenDrops() throws Exception {
        Owner owner = owner("drop");
        owner.createUserLike("pv_old", "pv-old-Lc55", ACTIVE);
        String oid = server.query("SELECT oid FROM pg_roles WHERE rolname = 'pv_old'");
        try (Connection session = server.session("pv_old", "pv-old-Lc55")) {
            assertEquals(Optional.of("postgres store 'db' (localhost:" + server.port() + "/postgres): role 'pv_old' "
                    + "kept, nothing changed: 1 open session. Fix: end its sessions (or rotate with --emergency); "
                    + "REASSIGN OWNED BY pv_old TO the active user, then DROP OWNED BY pv_old, in each database "
                    + "named"), owner.removeUser("pv_old", false));
            assertTrue(session.isValid(2));
        }
        server.sql("CREATE TABLE pv_scratch.old_notes (id int)", "ALTER TABLE pv_scratch.old_notes OWNER TO pv_old");
        List<String> owning = server.privileges("pv_old");
        Optional<String> owned = owner.removeUser("pv_old", false);
        assertTrue(owned.orElseThrow().contains("kept, nothing changed: owns 1 object (table pv_scratch.old_notes)."),
                owned.get());
        assertTrue(owned.get().contains("REASSIGN OWNED BY pv_old"), owned.get());
        assertTrue(canLogIn("pv_old"));
        assertEquals(owning, server.privileges("pv_old"), "held back: nothing changed");
        server.sql("DROP TABLE pv_scratch.old_notes");
        assertEquals(Optional.empty(), owner.removeUser("pv_old", false));
        assertFalse(exists("pv_old"));
        assertEquals("0", server.query("SELECT count(*) FROM pg_shdepend WHERE refobjid = " + oid),
                "no privilege, default privilege or ownership refers to it");
        assertEquals("0", server.query("SELECT count(*) FROM pg_auth_members WHERE member = " + oid));
        assertEquals("0", server.query("SELECT count(*) FROM pg_default_acl, aclexplode(defaclacl) a "
                + "WHERE a.grantee = " + oid));
        assertTrue(server.loginWorks(ACTIVE, ACTIVE_PASSWORD));
    }

    @Test
    void aGrantByAnotherGrantorKeepsTheUserAndRollsTheDropBack() {
        Owner owner = owner("drop");
        owner.createUserLike("pv_granted", "pv-granted-Sv64", ACTIVE);
        server.sql("CREATE ROLE pv_grantor NOLOGIN", "CREATE TABLE pv_scratch.shared (id int)",
                "GRANT SELECT ON pv_scratch.shared TO pv_grantor WITH GRANT OPTION",
                "GRANT USAGE ON SCHEMA pv_scratch TO pv_grantor", "SET ROLE pv_grantor",
                "GRANT SELECT ON pv_scratch.shared TO pv_granted", "RESET ROLE");
        List<String> before = server.privileges("pv_granted");
        Optional<String> kept = owner.removeUser("pv_granted", false);
        assertTrue(kept.orElseThrow().contains("role 'pv_granted' kept, nothing changed: objects still depend on "
                + "it (a grant made by another grantor, a policy naming it: SQLState 2BP01)."), kept.get());
        assertEquals(before, server.privileges("pv_granted"), "the revokes were rolled back with the failed drop");
        assertTrue(canLogIn("pv_granted"));
    }

    @Test
    void nologinKeepsTheUserAndItsPrivilegesButStopsItsLogins() {
        Owner owner = owner("nologin");
        owner.createUserLike("pv_parked", "pv-parked-Ey38", ACTIVE);
        assertEquals(Optional.empty(), owner.removeUser("pv_parked", false));
        assertTrue(exists("pv_parked"));
        assertFalse(canLogIn("pv_parked"));
        assertEquals(ACTIVE_PRIVILEGES.stream().map(line -> line.replace("login=t", "login=f")).toList(),
                server.privileges("pv_parked"));
        assertEquals(Optional.empty(), owner.removeUser("pv_parked", false), "idempotent");
        assertEquals(Optional.of("role 'pv_parked' has NOLOGIN, so no login can be tested"),
                owner.test("pv_parked", "pv-parked-Ey38"));
    }

    @Test
    void anEmergencyEndsOpenSessionsAndDrops() throws Exception {
        Owner owner = owner("drop");
        owner.createUserLike("pv_leaked", "pv-leaked-Wb27", ACTIVE);
        try (Connection session = server.session("pv_leaked", "pv-leaked-Wb27")) {
            assertEquals(Optional.empty(), owner.removeUser("pv_leaked", true));
            assertFalse(session.isValid(2), "its session was ended");
        }
        assertFalse(exists("pv_leaked"));
    }

    @Test
    void anEmergencyStopsTheLoginsOfAUserThatOwnsObjectsAndSaysWhyItIsKept() throws Exception {
        Owner owner = owner("drop");
        owner.createUserLike("pv_owner", "pv-owner-Nd16", ACTIVE);
        server.sql("CREATE TABLE pv_scratch.owner_notes (id int)", "ALTER TABLE pv_scratch.owner_notes OWNER TO pv_owner");
        try (Connection session = server.session("pv_owner", "pv-owner-Nd16")) {
            Optional<String> kept = owner.removeUser("pv_owner", true);
            assertTrue(kept.orElseThrow().contains("role 'pv_owner' kept but set NOLOGIN: owns 1 object "
                    + "(table pv_scratch.owner_notes)."), kept.get());
            assertFalse(session.isValid(2), "its session was ended");
        }
        assertTrue(exists("pv_owner"));
        assertFalse(canLogIn("pv_owner"));
        assertEquals("1", server.query("SELECT count(*) FROM pg_class WHERE relname = 'owner_notes'"),
                "its table is kept");
    }

    @Test
    void theAdminAndSuperusersAreRefused() {
        server.sql("CREATE ROLE pv_root LOGIN SUPERUSER");
        Owner owner = server.owner(ACTIVE);
        assertRefused(Kind.INVALID, () -> owner.createUserLike(EmbeddedServer.ADMIN, "pv-x-Mm01", ACTIVE),
                "'rotor_admin'", "admin login Rotor connects with");
        assertRefused(Kind.INVALID, () -> owner.removeUser(EmbeddedServer.ADMIN, true), "'rotor_admin'");
        assertRefused(Kind.PERMISSION, () -> owner.createUserLike("pv_rooted", "pv-x-Mm01", "pv_root"),
                "role 'pv_root'", "superuser");
        assertRefused(Kind.PERMISSION, () -> owner.createUserLike("pv_root", "pv-x-Mm01", null),
                "role 'pv_root'", "superuser");
        assertRefused(Kind.PERMISSION, () -> owner.removeUser("pv_root", true), "role 'pv_root'", "superuser");
        assertTrue(canLogIn("pv_root"));
        assertFalse(exists("pv_rooted"));
        assertRefused(Kind.INVALID, () -> owner("sometimes"), "'retire-user'", "drop or nologin");
    }

    private static void assertRefused(Kind kind, org.junit.jupiter.api.function.Executable action,
                                      String... named) {
        StoreException e = assertThrows(StoreException.class, action);
        assertEquals(kind, e.kind(), e.getMessage());
        for (String name : named) {
            assertTrue(e.getMessage().contains(name), name + " in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("pv-x-Mm01"));
    }

    @Test
    void loginTestsAsAnyUserRunSideBySide() throws Exception {
        Owner owner = owner("drop");
        owner.createUserLike("pv_probe", "pv-probe-Cx90", ACTIVE);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<String>>> logins = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                logins.add(threads.submit(() -> owner.test("pv_probe", "pv-probe-Cx90")));
                logins.add(threads.submit(() -> owner.test(ACTIVE, ACTIVE_PASSWORD)));
            }
            for (Future<Optional<String>> login : logins) {
                assertEquals(Optional.empty(), login.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
