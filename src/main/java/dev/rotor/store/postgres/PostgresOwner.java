package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The password of one PostgreSQL role, changed by Rotor's admin login. One password per role: the single-user
 * strategy changes it in place, so the old value stops working at {@link #accept} and {@link #retire} has nothing
 * left to do. The new password never reaches the server as text: its SCRAM-SHA-256 verifier is computed here, as
 * psql's {@code \password} does, and only the verifier is sent.
 */
final class PostgresOwner implements Owner {
    /** Server 16 and later: CREATEROLE alone no longer lets the admin alter a role it has no ADMIN OPTION on. */
    private static final int ADMIN_OPTION_REQUIRED_FROM = 160000;
    /** Server 10 and later store SCRAM-SHA-256 verifiers. */
    private static final int SCRAM_FROM = 100000;

    private final PostgresServer server;
    private final String role;

    PostgresOwner(PostgresServer server, String role) {
        this.server = server;
        this.role = role;
    }

    @Override
    public Set<Ability> abilities() {
        return Set.of();
    }

    @Override
    public void preflight() {
        refuseOwnCredential(server.adminUser);
        try (Connection connection = server.connectAsAdmin();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT current_user AS admin, a.rolsuper AS admin_super, a.rolcreaterole AS admin_createrole,
                            r.oid IS NOT NULL AS found, r.rolsuper AS role_super, r.rolreplication AS role_replication,
                            CASE WHEN r.oid IS NULL THEN false
                                 ELSE pg_has_role(current_user, r.oid, 'MEMBER WITH ADMIN OPTION') END AS admin_option,
                            current_setting('server_version_num')::int AS version
                     FROM pg_roles a LEFT JOIN pg_roles r ON r.rolname = ?
                     WHERE a.rolname = current_user""")) {
            statement.setString(1, role);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw failure(Kind.FAILED, "preflight: the admin's own role is not in pg_roles", "");
                }
                refuseOwnCredential(row.getString("admin"));
                if (row.getInt("version") < SCRAM_FROM) {
                    throw failure(Kind.INVALID, "the server is older than PostgreSQL 10 and cannot hold a "
                            + "SCRAM-SHA-256 password", "upgrade the server");
                }
                if (!row.getBoolean("found")) {
                    throw roleMissing();
                }
                String[] refusal = permissionRefusal(row);
                if (refusal != null) {
                    throw failure(Kind.PERMISSION, "admin '" + server.adminUser + "' may not alter role '" + role
                            + "': " + refusal[0], refusal[1]);
                }
            }
        } catch (SQLException e) {
            throw sqlFailure("preflight (admin '" + server.adminUser + "' checks role '" + role + "')", e);
        }
    }

    /** Why the admin may not alter the role (reason, suggestion), following ALTER ROLE's rules; null when it may. */
    private String[] permissionRefusal(ResultSet row) throws SQLException {
        if (row.getBoolean("admin_super")) {
            return null;
        }
        if (row.getBoolean("role_super")) {
            return new String[] {"it is a superuser and the admin is not", "connect as a superuser"};
        }
        if (!row.getBoolean("admin_createrole")) {
            return new String[] {"the admin has neither SUPERUSER nor CREATEROLE",
                    "ALTER ROLE " + server.adminUser + " CREATEROLE, or connect as a superuser"};
        }
        if (row.getInt("version") < ADMIN_OPTION_REQUIRED_FROM) {
            return null;
        }
        if (row.getBoolean("role_replication")) {
            return new String[] {"it has REPLICATION and the admin is not a superuser", "connect as a superuser"};
        }
        if (!row.getBoolean("admin_option")) {
            return new String[] {"PostgreSQL 16+ requires ADMIN OPTION on it besides CREATEROLE",
                    "GRANT " + role + " TO " + server.adminUser + " WITH ADMIN OPTION"};
        }
        return null;
    }

    @Override
    public void accept(String newValue, String oldValue) {
        refuseOwnCredential(server.adminUser);
        char[] password = newValue.toCharArray();
        try (Connection connection = server.connectAsAdmin()) {
            // Sends ALTER USER "role" PASSWORD 'SCRAM-SHA-256$...': the verifier, computed client-side, never the text.
            connection.unwrap(PGConnection.class).alterUserPassword(role, password, "scram-sha-256");
        } catch (SQLException e) {
            throw sqlFailure("changing the password of role '" + role + "'", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Logs in as the role. A NOLOGIN role (a schema owner) still has a password to rotate: the server checks the
     * password first (28P01 when wrong) and then refuses the login itself (28000); pg_roles, read as the admin,
     * tells that refusal from a pg_hba.conf one, and the test is then reported as skipped.
     */
    @Override
    public Optional<String> test(String value) {
        try (Connection connection = server.connect(role, value);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState()) && !canLogIn()) {
                return Optional.of("role '" + role + "' has NOLOGIN, so no login can be tested");
            }
            throw sqlFailure("logging in as role '" + role + "'", e);
        }
        return Optional.empty();
    }

    /** {@code rolcanlogin} of the role, read through the admin connection. */
    private boolean canLogIn() {
        try (Connection connection = server.connectAsAdmin();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?")) {
            statement.setString(1, role);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw roleMissing();
                }
                return row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw sqlFailure("checking whether role '" + role + "' may log in", e);
        }
    }

    private StoreException roleMissing() {
        return failure(Kind.NOT_FOUND, "role '" + role + "' does not exist",
                "create it first (CREATE ROLE " + role + " LOGIN) or correct owner.user");
    }

    /** Nothing to do: a role has one password, and the old one stopped working when the new one was accepted. */
    @Override
    public void retire(String oldValue, java.util.List<String> keptValues) {
    }

    private void refuseOwnCredential(String admin) {
        if (role.equals(admin)) {
            throw failure(Kind.INVALID, "refusing to rotate role '" + role
                    + "': it is the admin login Rotor connects with (rotating the credential Rotor connects with)",
                    "connect as another role with CREATEROLE to rotate it (see docs/postgres.md)");
        }
    }

    private StoreException failure(Kind kind, String what, String suggestion) {
        return new StoreException(kind, "postgres store '" + server.storeName + "' (" + server.address() + "): "
                + what, suggestion);
    }

    /** Names the operation, role, server and SQLState only: driver messages may quote values, so no cause is kept. */
    private StoreException sqlFailure(String operation, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Kind kind;
        String why;
        String suggestion = "";
        if (state.equals("28P01")) {
            kind = Kind.PERMISSION;
            why = "password authentication failed";
            suggestion = operation.startsWith("logging in") ? "the role does not accept this password"
                    : "check the admin password of store '" + server.storeName + "'";
        } else if (state.startsWith("28")) {
            kind = Kind.PERMISSION;
            why = "login refused (pg_hba.conf or authorization)";
        } else if (state.equals("42501")) {
            kind = Kind.PERMISSION;
            why = "permission denied";
        } else if (state.equals("42704")) {
            kind = Kind.NOT_FOUND;
            why = "role does not exist";
        } else if (state.equals("3D000")) {
            kind = Kind.NOT_FOUND;
            why = "database '" + server.database + "' does not exist";
        } else if (state.startsWith("08") || state.startsWith("53") || state.equals("57P03")
                || state.equals("40001") || state.equals("40P01")) {
            kind = Kind.TRANSIENT;
            why = "server unreachable or busy";
        } else {
            kind = Kind.FAILED;
            why = "failed";
        }
        return failure(kind, operation + ": " + why + (state.isEmpty() ? "" : " (SQLState " + state + ")"), suggestion);
    }
}
