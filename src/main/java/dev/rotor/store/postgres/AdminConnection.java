package dev.rotor.store.postgres;

import dev.rotor.store.SharedConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin login to one server, shared by every owner on that server (same host, port, database, admin and
 * password) for the run: one SCRAM login instead of one per step, and a warm backend (catalog caches, pgjdbc's
 * server-prepared statements). One connection per server, not per owner, also keeps a manifest of many secrets from
 * holding a backend each until the run ends. {@link SharedConnection} holds it (thread-safe: the downtime probe reads
 * {@code rolcanlogin} through it while the rotation runs); this is what pgjdbc adds: which failures ended the
 * session, and that a use leaves the connection in autocommit with no transaction open.
 */
final class AdminConnection implements SharedConnection.Handling<Connection, SQLException> {
    private static final Map<List<Object>, SharedConnection<Connection, SQLException>> BY_SERVER =
            new ConcurrentHashMap<>();
    private static final AdminConnection PGJDBC = new AdminConnection();

    private AdminConnection() {
    }

    /** The admin connection of {@code server}'s admin login, opened by {@link PostgresServer#connectAsAdmin}. */
    static SharedConnection<Connection, SQLException> of(PostgresServer server) {
        return BY_SERVER.computeIfAbsent(server.adminLogin(), login -> new SharedConnection<>(PGJDBC));
    }

    /** A failure that ended the session: SQLState class 08, or the server shutting the backend down (57P0x). */
    @Override
    public boolean broken(Connection connection, Exception failure) throws SQLException {
        if (!(failure instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        return state.startsWith("08") || state.startsWith("57P0") || connection.isClosed();
    }

    /** Rolls back what the work left open (nothing, when it committed) and restores autocommit. */
    @Override
    public void afterUse(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void close(Connection connection) throws SQLException {
        connection.close();
    }
}
