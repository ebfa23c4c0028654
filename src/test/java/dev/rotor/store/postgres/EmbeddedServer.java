package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.ProviderContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One real PostgreSQL for the postgres tests (started once, stopped by zonky's shutdown hook). Password logins over
 * TCP are enforced (SCRAM) for every role but the harness's own {@code postgres} superuser, so a wrong password is
 * refused; every statement is logged to {@link #log()} so tests can see what reached the server's log.
 */
public final class EmbeddedServer {
    public static final String ADMIN = "rotor_admin";
    public static final String ADMIN_PASSWORD = "admin-pass-Zq81";
    /** A role pg_hba.conf refuses (28000) whatever its password. */
    static final String HBA_REJECTED = "app_hba_rejected";
    private static EmbeddedServer instance;

    private final EmbeddedPostgres postgres;
    private final Path log;

    private EmbeddedServer() throws IOException {
        log = Files.createTempFile("rotor-postgres-", ".log");
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("log_statement", "all")
                .setServerConfig("logging_collector", "off")
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setDataDirectoryCustomizer(directory -> writeHba(directory.toPath().resolve("pg_hba.conf")))
                .start();
        sql("CREATE ROLE " + ADMIN + " LOGIN CREATEROLE PASSWORD '" + ADMIN_PASSWORD + "'");
    }

    public static synchronized EmbeddedServer get() {
        if (instance == null) {
            try {
                instance = new EmbeddedServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static void writeHba(Path file) {
        try {
            Files.writeString(file, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all %1$s 127.0.0.1/32 reject
                    host all %1$s ::1/128 reject
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """.formatted(HBA_REJECTED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    Path log() {
        return log;
    }

    /** Runs statements as the harness's superuser (these, unlike Rotor's, may show passwords in the log). */
    public void sql(String... statements) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String query(String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             var row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates (or recreates) a LOGIN role with a password, and lets {@link #ADMIN} alter it. */
    public void role(String name, String password, String... attributes) {
        sql("DROP ROLE IF EXISTS " + name,
                "CREATE ROLE " + name + " LOGIN " + String.join(" ", attributes) + " PASSWORD '" + password + "'",
                "GRANT " + name + " TO " + ADMIN + " WITH ADMIN OPTION");
    }

    /** Every row's first column, as the harness's superuser. */
    List<String> column(String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             var row = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (row.next()) {
                values.add(row.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A session over TCP with a password, independent of Rotor's code; open until closed. */
    Connection session(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/postgres", user, password);
    }

    /**
     * A login over TCP with a password, independent of Rotor's code: false when the server refuses it, for a wrong
     * password or a missing role (28P01) or a role that may not log in (28000: NOLOGIN, which an emergency sets
     * first and leaves when a session outlives its termination on a loaded machine).
     */
    public boolean loginWorks(String user, String password) {
        try (Connection connection = session(user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("login failed otherwise: " + e.getSQLState());
        }
    }

    Map<String, Object> settings(String adminUser, String adminPassword) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("host", "localhost");
        settings.put("port", String.valueOf(port()));
        settings.put("database", "postgres");
        settings.put("user", adminUser);
        settings.put("password", adminPassword);
        settings.put("sslmode", "disable");
        return settings;
    }

    Owner owner(String role) {
        return owner(ADMIN, ADMIN_PASSWORD, role);
    }

    Owner owner(String adminUser, String adminPassword, String role) {
        return owner(adminUser, adminPassword, Map.of("user", role));
    }

    Owner owner(String adminUser, String adminPassword, Map<String, Object> ownerOptions) {
        return new PostgresProvider().openOwner("db", settings(adminUser, adminPassword), ownerOptions,
                new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { }));
    }

    private static final List<List<String>> ACLS = List.of(
            List.of("'database ' || datname", "pg_database", "datacl"),
            List.of("'schema ' || oid::regnamespace", "pg_namespace", "nspacl"),
            List.of("format('relation %s (%s)', oid::regclass, relkind)", "pg_class", "relacl"),
            List.of("format('relation %s.%s', attrelid::regclass, attname)", "pg_attribute", "attacl"),
            List.of("'routine ' || oid::regprocedure", "pg_proc", "proacl"),
            List.of("'type ' || oid::regtype", "pg_type", "typacl"),
            List.of("format('default for %s in %s on %s', defaclrole::regrole, defaclnamespace::regnamespace, "
                    + "defaclobjtype)", "pg_default_acl", "defaclacl"));

    /**
     * What the catalogs say {@code role} may do, one line each, sorted, with the role itself left out (so two roles'
     * snapshots compare): attributes, memberships, and aclexplode of each catalog Rotor copies.
     */
    public List<String> privileges(String role) {
        StringBuilder lines = new StringBuilder("""
                SELECT format('role super=%s inherit=%s createrole=%s createdb=%s login=%s replication=%s '
                       || 'bypassrls=%s connlimit=%s', rolsuper, rolinherit, rolcreaterole, rolcreatedb,
                       rolcanlogin, rolreplication, rolbypassrls, rolconnlimit) AS line
                FROM pg_roles WHERE oid = (SELECT oid FROM r)
                UNION ALL
                SELECT format('member of %s admin=%s inherit=%s set=%s by %s', roleid::regrole, admin_option,
                       inherit_option, set_option, grantor::regrole)
                FROM pg_auth_members WHERE member = (SELECT oid FROM r)""");
        for (List<String> acl : ACLS) {
            lines.append("\nUNION ALL SELECT ").append(acl.get(0)).append(" || format(' %s grantable=%s by %s', ")
                    .append("a.privilege_type, a.is_grantable, a.grantor::regrole) FROM ").append(acl.get(1))
                    .append(", aclexplode(").append(acl.get(2)).append(") a WHERE a.grantee = (SELECT oid FROM r)");
        }
        return column("WITH r AS (SELECT oid FROM pg_roles WHERE rolname = '" + role + "') SELECT line FROM ("
                + lines + ") lines ORDER BY line COLLATE \"C\"");
    }
}
