package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin connection is one login per server for a run, whatever the steps and owners; login tests stay fresh
 * logins as the tested role; close ends it; one the server killed is replaced and the step still succeeds. Logins
 * are counted in the server log ({@code log_connections}), so a connection opened and closed within a step counts.
 */
class PostgresAdminConnectionTest {
    /** An admin of this class only: no other test's owner shares (or has left open) its connection. */
    private static final String ADMIN = "conn_admin";
    private static final String ADMIN_PASSWORD = "conn-admin-Rt42";
    private final EmbeddedServer server = EmbeddedServer.get();

    @BeforeAll
    static void adminAndConnectionLog() throws InterruptedException {
        EmbeddedServer server = EmbeddedServer.get();
        server.sql("DROP ROLE IF EXISTS " + ADMIN, "CREATE ROLE " + ADMIN + " LOGIN CREATEROLE PASSWORD '"
                + ADMIN_PASSWORD + "'", "ALTER SYSTEM SET log_connections = on", "SELECT pg_reload_conf()");
        // The postmaster applies the reload asynchronously; a new session shows when it has.
        for (int i = 0; i < 50 && !"on".equals(server.query("SHOW log_connections")); i++) {
            Thread.sleep(100);
        }
        assertEquals("on", server.query("SHOW log_connections"));
    }

    /** A test that failed before its close would leave the shared connection open for the next one. */
    @AfterEach
    void closeTheAdminConnection() {
        owner(Map.of("user", "conn_any")).close();
    }

    private Owner owner(Map<String, Object> options) {
        return server.owner(ADMIN, ADMIN_PASSWORD, options);
    }

    /** A role the admin may alter and drop (ADMIN OPTION, needed from PostgreSQL 16). */
    private void role(String name, String password) {
        server.role(name, password);
        server.sql("GRANT " + name + " TO " + ADMIN + " WITH ADMIN OPTION");
    }

    private long logMark() throws IOException {
        return Files.size(server.log());
    }

    /** The server log's lines since {@code mark}. */
    private List<String> logSince(long mark) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(server.log().toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - mark)];
            file.seek(mark);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static long logins(List<String> log, String user) {
        return log.stream().filter(line -> line.contains("connection authorized: user=" + user + " ")).count();
    }

    private List<String> adminBackends() {
        return server.column("SELECT pid::text FROM pg_stat_activity WHERE usename = '" + ADMIN + "'");
    }

    /** Backends end asynchronously after the client closes: waits up to 5 s for the admin's to be gone. */
    private List<String> adminBackendsOnceClosed() throws InterruptedException {
        for (int i = 0; i < 50 && !adminBackends().isEmpty(); i++) {
            Thread.sleep(100);
        }
        return adminBackends();
    }

    @Test
    void everyStepOfTwoOwnersLogsInAsTheAdminOnceAndCloseEndsIt() throws Exception {
        role("conn_alt", "conn-alt-Old1");
        role("conn_single", "conn-single-Old2");
        server.sql("DROP ROLE IF EXISTS conn_alt_v2");
        Owner alternating = owner(Map.of("user", "conn_alt"));
        Owner single = owner(Map.of("user", "conn_single"));
        long mark = logMark();

        alternating.preflight(null);
        single.preflight(null);
        alternating.createUserLike("conn_alt_v2", "conn-alt-New1", "conn_alt");
        assertEquals(Optional.empty(), alternating.test("conn_alt_v2", "conn-alt-New1"));
        single.accept("conn-single-New2", "conn-single-Old2");
        assertEquals(Optional.empty(), single.test("conn-single-New2"));
        single.retire("conn-single-Old2", List.of("conn-single-New2"));
        assertEquals(Optional.empty(), alternating.removeUser("conn_alt", false));
        alternating.preflight("conn_alt_v2");
        List<String> backends = adminBackends();

        List<String> log = logSince(mark);
        assertEquals(1, logins(log, ADMIN), "one admin login for every step of both owners");
        assertEquals(1, logins(log, "conn_alt_v2"), "the login test is a login as the tested role");
        assertEquals(1, logins(log, "conn_single"), "the login test is a login as the tested role");
        assertTrue(log.stream().anyMatch(line -> line.contains("connection authorized: user=" + ADMIN
                + " database=postgres application_name=rotor")), "application_name travels in the startup packet");
        assertFalse(log.stream().anyMatch(line -> line.contains("SET application_name = 'rotor'")),
                "no SET after Rotor's logins (the harness's own connections still send theirs)");
        assertEquals(List.of("0"), server.column("SELECT count(*)::text FROM pg_roles WHERE rolname = 'conn_alt'"));
        assertTrue(server.loginWorks("conn_single", "conn-single-New2"));
        assertEquals(1, backends.size(), "one admin backend open during the run: " + backends);

        alternating.close();
        assertEquals(List.of(), adminBackendsOnceClosed(), "close ends the admin connection");
        single.close();

        long reopened = logMark();
        single.preflight(null);
        assertEquals(1, logins(logSince(reopened), ADMIN), "a step after close logs in again");
        single.close();
        assertEquals(List.of(), adminBackendsOnceClosed());
    }

    @Test
    void anAdminConnectionTheServerKilledIsReplacedOnceAndTheStepSucceeds() throws Exception {
        role("conn_killed", "conn-killed-Old3");
        server.sql("DROP ROLE IF EXISTS conn_killed_v2");
        Owner owner = owner(Map.of("user", "conn_killed"));
        long mark = logMark();
        owner.preflight(null);
        List<String> before = adminBackends();
        assertEquals(1, before.size());
        server.sql("SELECT pg_terminate_backend(" + before.get(0) + ", 5000)");

        owner.createUserLike("conn_killed_v2", "conn-killed-New3", "conn_killed");

        assertTrue(server.loginWorks("conn_killed_v2", "conn-killed-New3"), "the step ran on the new connection");
        List<String> after = adminBackends();
        assertEquals(1, after.size());
        assertNotEquals(before, after);
        assertEquals(2, logins(logSince(mark), ADMIN), "the killed login and its one replacement");
        owner.close();
        assertEquals(List.of(), adminBackendsOnceClosed());
    }

    @Test
    void aStepThatFailsInsideItsTransactionLeavesTheConnectionInAutocommit() throws Exception {
        role("conn_clean", "conn-clean-Old4");
        server.sql("DROP ROLE IF EXISTS conn_clean_v2", "DROP ROLE IF EXISTS conn_clean_missing");
        Owner owner = owner(Map.of("user", "conn_clean"));
        long mark = logMark();

        // Refused after the transaction began (the role to copy is read inside it): rolled back.
        assertThrows(StoreException.class,
                () -> owner.createUserLike("conn_clean_v2", "conn-clean-New4", "conn_clean_missing"));
        owner.accept("conn-clean-New4", "conn-clean-Old4");

        assertTrue(server.loginWorks("conn_clean", "conn-clean-New4"), "accept was committed on the same connection");
        assertEquals(List.of("0"), server.column("SELECT count(*)::text FROM pg_roles WHERE rolname = 'conn_clean_v2'"));
        assertEquals(1, logins(logSince(mark), ADMIN), "the failure did not cost the connection");
        assertEquals(List.of("idle"),
                server.column("SELECT state FROM pg_stat_activity WHERE usename = '" + ADMIN + "'"),
                "no transaction left open between steps");
        owner.close();
    }
}
