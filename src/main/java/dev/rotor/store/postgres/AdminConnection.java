package dev.rotor.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin login to one server, shared by every owner on that server (same host, port, database, admin and
 * password) for the run: one SCRAM login instead of one per step, and a warm backend (catalog caches, pgjdbc's
 * server-prepared statements). Opened on first use, closed by {@link #close} (any owner's close: the engine closes
 * them all when the run ends, and a later use opens it again). One connection per server, not per owner, also
 * keeps a manifest of many secrets from holding a backend each until the run ends.
 *
 * <p>Thread-safe: {@link #use} and {@link #close} are synchronized, so the connection never serves two threads at
 * once (the downtime probe reads {@code rolcanlogin} through it while the rotation runs).
 */
final class AdminConnection implements AutoCloseable {
    private static final Map<List<Object>, AdminConnection> BY_SERVER = new ConcurrentHashMap<>();

    /** Work on the admin connection; it may open a transaction, which {@link #use} ends if the work did not. */
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private final PostgresServer server;
    private Connection connection;

    private AdminConnection(PostgresServer server) {
        this.server = server;
    }

    static AdminConnection of(PostgresServer server) {
        return BY_SERVER.computeIfAbsent(server.adminLogin(), login -> new AdminConnection(server));
    }

    /**
     * Runs {@code work} on the connection, logging in first when there is none. A connection found broken (the
     * server ended it, the network dropped) is replaced once and the work run again: every owner step is
     * idempotent. Afterwards the connection is left in autocommit with no transaction open.
     */
    synchronized <T> T use(Work<T> work) throws SQLException {
        for (boolean retried = false; ; retried = true) {
            if (connection == null) {
                connection = server.connectAsAdmin();
            }
            try {
                return work.on(connection);
            } catch (SQLException e) {
                if (retried || !broken(e)) {
                    throw e;
                }
                discard();
            } finally {
                leaveClean();
            }
        }
    }

    /** A failure that ended the session: SQLState class 08, or the server shutting the backend down (57P0x). */
    private boolean broken(SQLException e) throws SQLException {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P0") || connection.isClosed();
    }

    /** Rolls back what the work left open (nothing, when it committed) and restores autocommit. */
    private void leaveClean() {
        if (connection == null) {
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            discard(); // cannot be cleaned: the next use logs in again
        }
    }

    private void discard() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // already broken: nothing left to release
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        discard();
    }
}
