package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Providers;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preflight refusals, what reaches the server, and messages that name things but never passwords. */
class PostgresOwnerTest {
    private static final List<String> SECRETS = List.of(EmbeddedServer.ADMIN_PASSWORD, "app-old-Kx72", "app-new-Vb39",
            "wrong-admin-Hh55", "super-pass-Tt66", "plain-pass-Pp11", "logged-new-Ll47");
    private final EmbeddedServer server = EmbeddedServer.get();

    private StoreException refused(Kind kind, Executable action, String... named) {
        StoreException e = assertThrows(StoreException.class, action);
        assertEquals(kind, e.kind(), e.getMessage());
        for (String name : named) {
            assertTrue(e.getMessage().contains(name), "names " + name + ": " + e.getMessage());
        }
        for (String secret : SECRETS) {
            assertFalse(e.getMessage().contains(secret) || e.suggestion().contains(secret), "never a password");
        }
        assertEquals(null, e.getCause(), "driver exceptions are not chained");
        Matcher type = Pattern.compile("\\btype:? +([a-z][a-z0-9-]*)").matcher(e.getMessage() + "\n" + e.suggestion());
        while (type.find()) {
            assertTrue(Providers.types().contains(type.group(1)), "names a registered store type: " + type.group());
        }
        return e;
    }

    @Test
    void theServerRefusesAWrongPasswordSoTheseTestsProveSomething() {
        server.role("app_hba", "app-old-Kx72");
        assertTrue(server.loginWorks("app_hba", "app-old-Kx72"));
        assertFalse(server.loginWorks("app_hba", "app-new-Vb39"));
        assertEquals("scram-sha-256", server.query("SHOW password_encryption"));
    }

    @Test
    void rotatesAndTestsWithACreateroleAdmin() {
        server.role("app_rotate", "app-old-Kx72");
        Owner owner = server.owner("app_rotate");
        owner.preflight(null);
        owner.accept("app-new-Vb39", "app-old-Kx72");
        owner.test("app-new-Vb39");
        assertFalse(server.loginWorks("app_rotate", "app-old-Kx72"));
        refused(Kind.PERMISSION, () -> owner.test("app-old-Kx72"), "app_rotate", "28P01", "localhost:");
        assertDoesNotThrow(() -> owner.retire("app-old-Kx72", java.util.List.of("app-new-Vb39")));
        assertTrue(server.loginWorks("app_rotate", "app-new-Vb39"), "retire changes nothing");
    }

    @Test
    void onlyTheScramVerifierReachesTheServerNeverThePlaintext() throws IOException {
        server.role("app_logged", "app-old-Kx72");
        server.owner("app_logged").accept("logged-new-Ll47", "app-old-Kx72");
        assertTrue(server.loginWorks("app_logged", "logged-new-Ll47"));
        assertTrue(server.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'app_logged'")
                .startsWith("SCRAM-SHA-256$"));
        String log = Files.readString(server.log());
        assertTrue(log.contains("ALTER USER \"app_logged\" PASSWORD 'SCRAM-SHA-256$"), "log_statement=all saw it");
        assertFalse(log.contains("logged-new-Ll47"), "the plaintext never reached the server's log");
    }

    @Test
    void aSuperuserAdminMayAlterAnyRoleIncludingSuperusers() {
        server.role("super_admin", "super-pass-Tt66", "SUPERUSER");
        server.role("app_super_target", "app-old-Kx72", "SUPERUSER");
        Owner owner = server.owner("super_admin", "super-pass-Tt66", "app_super_target");
        owner.preflight(null);
        owner.accept("app-new-Vb39", "app-old-Kx72");
        assertTrue(server.loginWorks("app_super_target", "app-new-Vb39"));
    }

    @Test
    void preflightRefusesAnUnknownRole() {
        refused(Kind.NOT_FOUND, () -> server.owner("no_such_role").preflight(null), "no_such_role", "localhost:",
                "does not exist");
    }

    @Test
    void preflightRefusesAnAdminWithoutCreaterole() {
        server.role("plain_admin", "plain-pass-Pp11");
        server.role("app_plain", "app-old-Kx72");
        refused(Kind.PERMISSION, () -> server.owner("plain_admin", "plain-pass-Pp11", "app_plain").preflight(null),
                "plain_admin", "app_plain", "CREATEROLE");
        refused(Kind.PERMISSION, () -> server.owner("plain_admin", "plain-pass-Pp11", "app_plain")
                .accept("app-new-Vb39", "app-old-Kx72"), "app_plain", "42501");
        assertTrue(server.loginWorks("app_plain", "app-old-Kx72"), "nothing changed");
    }

    @Test
    void preflightRefusesASuperuserRoleForANonSuperuserAdmin() {
        server.role("app_is_super", "app-old-Kx72", "SUPERUSER");
        refused(Kind.PERMISSION, () -> server.owner("app_is_super").preflight(null), "app_is_super", "superuser");
    }

    @Test
    void preflightRefusesARoleTheAdminHasNoAdminOptionOn() {
        server.sql("DROP ROLE IF EXISTS app_foreign", "CREATE ROLE app_foreign LOGIN PASSWORD 'app-old-Kx72'");
        refused(Kind.PERMISSION, () -> server.owner("app_foreign").preflight(null), "app_foreign", "ADMIN OPTION");
    }

    @Test
    void aNologinRoleRotatesAndItsLoginTestIsSkippedSayingWhy() {
        server.role("app_nologin", "app-old-Kx72");
        server.sql("ALTER ROLE app_nologin NOLOGIN");
        Owner owner = server.owner("app_nologin");
        owner.preflight(null);
        owner.accept("app-new-Vb39", "app-old-Kx72");
        assertEquals(Optional.of("role 'app_nologin' has NOLOGIN, so no login can be tested"),
                owner.test("app-new-Vb39"));
        refused(Kind.PERMISSION, () -> owner.test("app-old-Kx72"), "app_nologin", "28P01");
        server.sql("ALTER ROLE app_nologin LOGIN");
        assertTrue(server.loginWorks("app_nologin", "app-new-Vb39"));
        assertFalse(server.loginWorks("app_nologin", "app-old-Kx72"));
    }

    @Test
    void aLoginRefusedByPgHbaIsAFailureNotASkippedTest() {
        server.role(EmbeddedServer.HBA_REJECTED, "app-old-Kx72");
        refused(Kind.PERMISSION, () -> server.owner(EmbeddedServer.HBA_REJECTED).test("app-old-Kx72"),
                EmbeddedServer.HBA_REJECTED, "pg_hba.conf", "28000");
    }

    @Test
    void rotatingTheAdminLoginItselfIsRefused() {
        StoreException e = refused(Kind.INVALID, () -> server.owner(EmbeddedServer.ADMIN), EmbeddedServer.ADMIN,
                "Rotor connects as");
        assertEquals("connect as another user that may change passwords to rotate it", e.suggestion());
        assertTrue(server.loginWorks(EmbeddedServer.ADMIN, EmbeddedServer.ADMIN_PASSWORD));
    }

    @Test
    void aWrongAdminPasswordIsAPermissionFailureNamingTheAdmin() {
        server.role("app_wrong_admin", "app-old-Kx72");
        refused(Kind.PERMISSION, () -> server.owner(EmbeddedServer.ADMIN, "wrong-admin-Hh55", "app_wrong_admin")
                .preflight(null), EmbeddedServer.ADMIN, "28P01");
    }

    @Test
    void anUnreachableServerIsTransient() {
        Map<String, Object> settings = server.settings(EmbeddedServer.ADMIN, EmbeddedServer.ADMIN_PASSWORD);
        settings.put("port", "1");
        Owner owner = new PostgresProvider().openOwner("db", settings, Map.of("user", "app"), context());
        refused(Kind.TRANSIENT, () -> owner.test("app-new-Vb39"), "app", "localhost:1/postgres");
    }

    @Test
    void theProviderIsAnOwnerOnlyAndChecksItsSettings() {
        Provider provider = Providers.byType("postgres").orElseThrow();
        assertTrue(provider.isOwner());
        assertFalse(provider.isStore());
        assertTrue(provider.capabilities().isEmpty());
        assertEquals(java.util.Set.of("user", "probe", "alternate-with", "series", "retire-user"), provider.ownerKeys());
        assertEquals(java.util.Set.of("host", "user", "password"), provider.requiredSettingKeys());
        Map<String, Object> settings = server.settings(EmbeddedServer.ADMIN, EmbeddedServer.ADMIN_PASSWORD);
        refused(Kind.INVALID, () -> provider.openStore("db", settings, context()), "db", "owner");
        refused(Kind.INVALID, () -> provider.openOwner("db", settings, Map.of(), context()),
                "owner on store 'db' (postgres)", "'user' is required");
        settings.put("port", "x");
        settings.put("sslmode", "sometimes");
        settings.remove("host");
        refused(Kind.INVALID, () -> provider.openOwner("db", settings, Map.of("user", "app"), context()),
                "'host' is required", "'port'", "'sslmode'");
        assertEquals(java.util.Set.of(Owner.Ability.SEVERAL_USERS), server.owner("anyone").abilities(),
                "one password per role: no dual-password, but alternating users");
    }

    private static ProviderContext context() {
        return new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { });
    }
}
