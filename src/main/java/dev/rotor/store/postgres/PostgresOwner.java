package dev.rotor.store.postgres;

import dev.rotor.manifest.Plural;
import dev.rotor.store.Owner;
import dev.rotor.store.SharedConnection;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import org.postgresql.PGConnection;
import org.postgresql.core.Utils;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** How long an emergency waits for each ended session to be gone, in milliseconds. */
    private static final int SESSION_END_WAIT_MS = 5000;
    /** How many owned objects a held-back removal names. */
    private static final int OWNED_NAMED = 3;
    /** Rounds of changes before the copied privileges must equal the model's (one, unless revokes cascade). */
    private static final int COPY_ROUNDS = 3;

    /** What {@link #removeUser} does to a user it may remove ({@code retire-user}). */
    enum Retirement { DROP, NOLOGIN }

    private final PostgresServer server;
    private final String role;
    private final Retirement retirement;
    /** Every admin step goes through it; login tests open their own connection as the tested role. */
    private final SharedConnection<Connection, SQLException> admin;

    PostgresOwner(PostgresServer server, String role, Retirement retirement) {
        this.server = server;
        this.role = role;
        this.retirement = retirement;
        this.admin = AdminConnection.of(server);
    }

    /** Closes the admin connection this owner shares with the other owners on its server (reopened if used). */
    @Override
    public void close() {
        admin.close();
    }

    /** One password per role, so no dual-password; a second role can be made like the first. */
    @Override
    public Set<Ability> abilities() {
        return Set.of(Ability.SEVERAL_USERS);
    }

    @Override
    public void preflight(String activeUser) {
        String role = activeUser == null ? this.role : activeUser;
        refuseOwnCredential(server.adminUser);
        try {
            asAdmin(connection -> {
                check(connection, role);
                return null;
            });
        } catch (SQLException e) {
            throw sqlFailure("preflight (admin '" + server.adminUser + "' checks role '" + role + "')", e);
        }
    }

    private void check(Connection connection, String role) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
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
                    throw roleMissing(role);
                }
                String[] refusal = permissionRefusal(row);
                if (refusal != null) {
                    throw failure(Kind.PERMISSION, "admin '" + server.adminUser + "' may not alter role '" + role
                            + "': " + refusal[0], refusal[1]);
                }
            }
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
        try {
            asAdmin(connection -> {
                // Sends ALTER USER "role" PASSWORD 'SCRAM-SHA-256$...': the verifier, computed client-side, never
                // the text.
                connection.unwrap(PGConnection.class).alterUserPassword(role, password, "scram-sha-256");
                return null;
            });
        } catch (SQLException e) {
            throw sqlFailure("changing the password of role '" + role + "'", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public Optional<String> test(String value) {
        return logIn(role, value);
    }

    /** Thread-safe: a fresh connection each call, nothing shared but the server's settings. */
    @Override
    public Optional<String> test(String user, String value) {
        return logIn(user, value);
    }

    /**
     * Logs in as {@code user}. A NOLOGIN role (a schema owner) still has a password to rotate: the server checks the
     * password first (28P01 when wrong) and then refuses the login itself (28000); pg_roles, read as the admin,
     * tells that refusal from a pg_hba.conf one, and the test is then reported as skipped.
     */
    private Optional<String> logIn(String user, String value) {
        try (Connection connection = server.connect(user, value);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState()) && !canLogIn(user)) {
                return Optional.of("role '" + user + "' has NOLOGIN, so no login can be tested");
            }
            throw sqlFailure("logging in as role '" + user + "'", e);
        }
        return Optional.empty();
    }

    /** {@code rolcanlogin} of a role, read through the admin connection. */
    private boolean canLogIn(String user) {
        try {
            return asAdmin(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?")) {
                    statement.setString(1, user);
                    try (ResultSet row = statement.executeQuery()) {
                        if (!row.next()) {
                            throw roleMissing(user);
                        }
                        return row.getBoolean(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw sqlFailure("checking whether role '" + user + "' may log in", e);
        }
    }

    /**
     * Runs {@code work} on the admin connection of this server, logging in first when there is none; afterwards the
     * connection is in autocommit with no transaction open, whatever the work left.
     */
    private <T> T asAdmin(SharedConnection.Work<Connection, T, SQLException> work) throws SQLException {
        return admin.use(server::connectAsAdmin, work);
    }

    private StoreException roleMissing(String name) {
        return failure(Kind.NOT_FOUND, "role '" + name + "' does not exist",
                "create it first (CREATE ROLE " + name + " LOGIN) or correct owner.user");
    }

    /** Nothing to do: a role has one password, and the old one stopped working when the new one was accepted. */
    @Override
    public void retire(String oldValue, List<String> keptValues) {
    }

    /** The role attributes {@link #createUserLike} copies; {@code expires}: a VALID UNTIL other than infinity. */
    private record Attributes(boolean superuser, boolean inherit, boolean createrole, boolean createdb,
                              boolean replication, boolean bypassrls, int connectionLimit, boolean canLogIn,
                              boolean expires) {
        /** A role made by {@code CREATE ROLE … LOGIN}. */
        static final Attributes CREATED = new Attributes(false, true, false, false, false, false, -1, true, false);

        /**
         * The ALTER ROLE options that make these attributes {@code like}'s (null: keep them), plus LOGIN and no
         * password expiry. Only options that change are named: a non-superuser may not even repeat NOSUPERUSER.
         */
        String changesTo(Attributes like) {
            StringBuilder options = new StringBuilder();
            if (like != null) {
                option(options, "SUPERUSER", superuser, like.superuser);
                option(options, "INHERIT", inherit, like.inherit);
                option(options, "CREATEROLE", createrole, like.createrole);
                option(options, "CREATEDB", createdb, like.createdb);
                option(options, "REPLICATION", replication, like.replication);
                option(options, "BYPASSRLS", bypassrls, like.bypassrls);
                if (connectionLimit != like.connectionLimit) {
                    options.append(" CONNECTION LIMIT ").append(like.connectionLimit);
                }
            }
            if (!canLogIn) {
                options.append(" LOGIN");
            }
            if (expires) {
                options.append(" VALID UNTIL 'infinity'");
            }
            return options.toString();
        }

        private static void option(StringBuilder options, String name, boolean held, boolean wanted) {
            if (held != wanted) {
                options.append(wanted ? " " : " NO").append(name);
            }
        }
    }

    /**
     * Creates {@code user} or resets it, in one transaction: LOGIN, the password (its SCRAM verifier, as
     * {@link #accept}), {@code like}'s role attributes, memberships and privileges (see {@link RolePrivileges}).
     * Privileges are changed until the catalogs show the two roles equal, or the transaction is rolled back.
     */
    @Override
    public void createUserLike(String user, String password, String like) {
        refuseAdmin(user, server.adminUser, "create or reset");
        String operation = like == null ? "resetting role '" + user + "'"
                : "making role '" + user + "' like role '" + like + "'";
        char[] secret = password.toCharArray();
        try {
            asAdmin(connection -> {
                makeLike(connection, user, secret, like, operation);
                return null;
            });
        } catch (SQLException e) {
            throw sqlFailure(operation, e);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** {@link #createUserLike}'s transaction, committed when the privileges match. */
    private void makeLike(Connection connection, String user, char[] secret, String like, String operation)
            throws SQLException {
        connection.setAutoCommit(false);
        Roles found = roles(connection, user, like);
        Map<String, Attributes> roles = found.attributes;
        refuseAdmin(user, found.admin, "create or reset");
        if (like != null && !roles.containsKey(like)) {
            throw roleMissing(like);
        }
        refuseSuperuser(roles.containsKey(user) && roles.get(user).superuser, found.adminSuperuser,
                "reset role '" + user + "'");
        refuseSuperuser(like != null && roles.get(like).superuser, found.adminSuperuser,
                "copy the privileges of role '" + like + "'");
        String quotedUser = quoted(user);
        Attributes held = roles.get(user);
        if (held == null) {
            execute(connection, "CREATE ROLE " + quotedUser + " LOGIN");
            held = Attributes.CREATED;
        }
        String changes = held.changesTo(like == null ? null : roles.get(like));
        if (!changes.isEmpty()) {
            execute(connection, "ALTER ROLE " + quotedUser + changes);
        }
        connection.unwrap(PGConnection.class).alterUserPassword(user, secret, "scram-sha-256");
        if (like != null) {
            copyPrivileges(connection, found.version, user, like, operation);
        }
        connection.commit();
    }

    /** The admin, the server's version, and the attributes of those roles that exist. */
    private record Roles(String admin, boolean adminSuperuser, int version, Map<String, Attributes> attributes) {
    }

    private static Roles roles(Connection connection, String user, String like) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
                       rolconnlimit, rolcanlogin, rolvaliduntil IS NOT NULL AND rolvaliduntil <> 'infinity' AS expires,
                       current_user AS admin, current_setting('server_version_num')::int AS version
                FROM pg_roles WHERE rolname IN (?, ?, current_user)""")) {
            statement.setString(1, user);
            statement.setString(2, like == null ? user : like);
            try (ResultSet row = statement.executeQuery()) {
                Map<String, Attributes> attributes = new HashMap<>();
                String admin = null;
                int version = 0;
                while (row.next()) {
                    admin = row.getString("admin");
                    version = row.getInt("version");
                    attributes.put(row.getString("rolname"), new Attributes(row.getBoolean("rolsuper"),
                            row.getBoolean("rolinherit"), row.getBoolean("rolcreaterole"),
                            row.getBoolean("rolcreatedb"), row.getBoolean("rolreplication"),
                            row.getBoolean("rolbypassrls"), row.getInt("rolconnlimit"),
                            row.getBoolean("rolcanlogin"), row.getBoolean("expires")));
                }
                return new Roles(admin, attributes.get(admin).superuser, version, attributes);
            }
        }
    }

    /** Makes {@code user}'s memberships and privileges {@code like}'s, checking the catalogs after each round. */
    private void copyPrivileges(Connection connection, int version, String user, String like, String operation)
            throws SQLException {
        for (int round = 0; ; round++) {
            Map<String, RolePrivileges> privileges = RolePrivileges.read(connection, version, user, like);
            List<String> changes = privileges.get(user).changesToMatch(privileges.get(like), quoted(user), version);
            if (changes.isEmpty()) {
                return;
            }
            if (round == COPY_ROUNDS) {
                throw failure(Kind.PERMISSION, operation + ": its privileges still differ (" + changes.size()
                        + " changes left, e.g. " + String.join("; ", changes.subList(0, Math.min(3, changes.size())))
                        + "); nothing was changed", "the admin '" + server.adminUser + "' must be able to grant each "
                        + "privilege (own the object, be a member of its owner, or hold it WITH GRANT OPTION) and "
                        + "each role membership (ADMIN OPTION), or be a superuser");
            }
            for (String change : changes) {
                execute(connection, change);
            }
        }
    }

    /**
     * Drops {@code user} (or, with {@code retire-user: nologin}, only stops its logins) unless open sessions or
     * owned objects hold it back; see docs/postgres.md, "Alternating users".
     */
    @Override
    public Optional<String> removeUser(String user, boolean emergency) {
        refuseAdmin(user, server.adminUser, "remove");
        String operation = "removing role '" + user + "'";
        try {
            return asAdmin(connection -> remove(connection, user, emergency));
        } catch (SQLException e) {
            throw sqlFailure(operation, e);
        }
    }

    private Optional<String> remove(Connection connection, String user, boolean emergency) throws SQLException {
        Optional<Holds> found = holds(connection, user);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Holds holds = found.get();
        refuseAdmin(user, holds.admin, "remove");
        refuseSuperuser(holds.superuser, holds.adminSuperuser,
                "remove role '" + user + "'");
        List<String> reasons = new ArrayList<>();
        if (emergency) {
            execute(connection, "ALTER ROLE " + quoted(user) + " NOLOGIN");
            if (holds.sessions > 0) {
                endSessions(connection, user).ifPresent(reasons::add);
                holds = holds(connection, user).orElseThrow();
            }
            if (retirement == Retirement.NOLOGIN && reasons.isEmpty()) {
                return Optional.empty();
            }
        }
        reasons.addAll(holds.reasons(retirement));
        if (!reasons.isEmpty()) {
            return Optional.of(kept(user, emergency, reasons));
        }
        if (retirement == Retirement.NOLOGIN) {
            execute(connection, "ALTER ROLE " + quoted(user) + " NOLOGIN");
            return Optional.empty();
        }
        return drop(connection, user, holds.version, emergency);
    }

    /**
     * What may keep a role: sessions (pg_stat_activity), objects it owns (pg_shdepend 'o': in this database and
     * shared ones such as databases are named; any database counts), and databases other than this one where it
     * owns objects or holds privileges (DROP ROLE refuses those, and this connection cannot revoke them).
     */
    private record Holds(String admin, boolean adminSuperuser, boolean superuser, int version, int sessions,
                         int owned, List<String> ownedNamed, List<String> otherDatabases) {
        List<String> reasons(Retirement retirement) {
            List<String> reasons = new ArrayList<>();
            if (sessions > 0) {
                reasons.add(Plural.count(sessions, "open session"));
            }
            if (owned > 0) {
                reasons.add("owns " + Plural.count(owned, "object") + " ("
                        + String.join(", ", ownedNamed) + (owned > ownedNamed.size() ? ", ..." : "") + ")");
            }
            if (retirement == Retirement.DROP && !otherDatabases.isEmpty()) {
                reasons.add("has objects or privileges in other databases (" + String.join(", ", otherDatabases)
                        + "), which a connection to this one cannot revoke");
            }
            return reasons;
        }
    }

    private Optional<Holds> holds(Connection connection, String user) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                WITH dep AS (SELECT d.* FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
                             WHERE d.refclassid = 'pg_authid'::regclass AND r.rolname = ?)
                SELECT r.rolsuper, a.rolname AS admin, a.rolsuper AS admin_super,
                       current_setting('server_version_num')::int AS version,
                       (SELECT count(*) FROM pg_stat_activity s
                        WHERE s.usename = r.rolname AND s.pid <> pg_backend_pid()) AS sessions,
                       (SELECT count(*) FROM dep WHERE deptype = 'o') AS owned,
                       ARRAY(SELECT pg_describe_object(classid, objid, objsubid) FROM dep
                             WHERE deptype = 'o'
                               AND dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
                             ORDER BY 1 LIMIT %d) AS owned_named,
                       ARRAY(SELECT DISTINCT b.datname::text FROM dep JOIN pg_database b ON b.oid = dep.dbid
                             WHERE b.datname <> current_database() ORDER BY 1) AS other_databases
                FROM pg_roles r, pg_roles a WHERE r.rolname = ? AND a.rolname = current_user""".formatted(OWNED_NAMED))) {
            statement.setString(1, user);
            statement.setString(2, user);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Holds(row.getString("admin"), row.getBoolean("admin_super"),
                        row.getBoolean("rolsuper"), row.getInt("version"), row.getInt("sessions"),
                        row.getInt("owned"), texts(row, "owned_named"), texts(row, "other_databases")));
            }
        }
    }

    private static List<String> texts(ResultSet row, String column) throws SQLException {
        return List.of((String[]) row.getArray(column).getArray());
    }

    /** Ends the role's sessions, waiting for each to be gone; why not, when the admin may not. */
    private Optional<String> endSessions(Connection connection, String user) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FILTER (WHERE NOT pg_terminate_backend(pid, " + SESSION_END_WAIT_MS + ")) "
                        + "FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, user);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1) == 0 ? Optional.empty()
                        : Optional.of(Plural.count(row.getInt(1), "session") + " did not end within "
                        + SESSION_END_WAIT_MS + " ms");
            }
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            return Optional.of("its sessions could not be ended: admin '" + server.adminUser + "' needs "
                    + "pg_signal_backend (GRANT pg_signal_backend TO " + server.adminUser + ")");
        }
    }

    /**
     * Revokes what was granted to the role in this database (and on databases and tablespaces), then drops it, in
     * one transaction; its memberships go with it. Not DROP OWNED BY: that needs the role's own privileges, and
     * would drop objects it came to own since the check; DROP ROLE refuses instead (2BP01), and the role is kept.
     */
    private Optional<String> drop(Connection connection, String user, int version, boolean emergency)
            throws SQLException {
        connection.setAutoCommit(false);
        String quotedUser = quoted(user);
        try {
            for (String revoke : RolePrivileges.read(connection, version, user).get(user).revokeAll(quotedUser)) {
                execute(connection, revoke);
            }
            execute(connection, "DROP ROLE " + quotedUser);
            connection.commit();
            return Optional.empty();
        } catch (SQLException e) {
            connection.rollback();
            if (!"2BP01".equals(e.getSQLState())) {
                throw e;
            }
            return Optional.of(kept(user, emergency, List.of("objects still depend on it (a grant made by another "
                    + "grantor, a policy naming it: SQLState 2BP01)")));
        }
    }

    private String kept(String user, boolean emergency, List<String> reasons) {
        return "postgres store '" + server.storeName + "' (" + server.address() + "): role '" + user + "' kept"
                + (emergency ? " but set NOLOGIN" : ", nothing changed") + ": " + String.join("; ", reasons)
                + ". Fix: end its sessions (or rotate with --emergency); REASSIGN OWNED BY " + user
                + " TO the active user, then DROP OWNED BY " + user + ", in each database named";
    }

    /** Runs one statement Rotor built (never one carrying a password); a failure names it. */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new FailedStatement(sql, e.getSQLState());
        }
    }

    /** A statement the server refused: its text (no value in it) is named, the driver's message is not kept. */
    private static final class FailedStatement extends SQLException {
        FailedStatement(String sql, String state) {
            super(sql, state);
        }
    }

    private static String quoted(String identifier) throws SQLException {
        return Utils.escapeIdentifier(null, identifier).toString();
    }

    private void refuseSuperuser(boolean superuser, boolean adminSuperuser, String what) {
        if (superuser && !adminSuperuser) {
            throw failure(Kind.PERMISSION, "admin '" + server.adminUser + "' may not " + what
                    + ": it is a superuser and the admin is not", "connect as a superuser");
        }
    }

    private void refuseAdmin(String user, String admin, String operation) {
        if (user.equals(admin)) {
            throw failure(Kind.INVALID, "refusing to " + operation + " role '" + user
                    + "': it is the admin login Rotor connects with", "connect as another role with CREATEROLE");
        }
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
        String statement = e instanceof FailedStatement ? " at: " + e.getMessage() : "";
        return failure(kind, operation + ": " + why + (state.isEmpty() ? "" : " (SQLState " + state + ")") + statement,
                suggestion);
    }
}
