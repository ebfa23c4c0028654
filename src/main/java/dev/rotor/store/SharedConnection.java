package dev.rotor.store;

/**
 * One connection that several owners on one server share for the run (an admin login): opened on first use, replaced
 * once when a use finds it broken, discarded by {@link #close} (the engine closes every owner when the run ends; a
 * later use opens it again). What differs between client libraries, how a failure tells a broken connection, what is
 * left to tidy after a use and how a connection closes, is their {@link Handling}.
 *
 * <p>Thread-safe: {@link #use} and {@link #close} are synchronized, so the connection never serves two threads at
 * once (the downtime probe may use it from its own thread while the rotation runs).
 *
 * @param <C> the connection
 * @param <X> the checked exception its work throws ({@link RuntimeException} for none)
 */
public final class SharedConnection<C, X extends Exception> implements AutoCloseable {
    /** Opens a new connection. */
    public interface Opener<C, X extends Exception> {
        C open() throws X;
    }

    /** Work on the connection; it must be idempotent, since it runs again on a new connection after a break. */
    public interface Work<C, T, X extends Exception> {
        T on(C connection) throws X;
    }

    /** What a client library's connection needs from the holder besides opening. */
    public interface Handling<C, X extends Exception> {
        /** Whether {@code failure}, thrown by work on {@code connection}, means the connection can serve no more. */
        boolean broken(C connection, Exception failure) throws X;

        /** Leaves the connection ready for the next use, after each use; a failure here discards it. */
        default void afterUse(C connection) throws Exception {
        }

        /** Releases the connection; a failure here (it was broken already) is ignored. */
        void close(C connection) throws Exception;
    }

    private final Handling<C, X> handling;
    private C connection;

    public SharedConnection(Handling<C, X> handling) {
        this.handling = handling;
    }

    /**
     * Runs {@code work} on the connection, made by {@code open} when there is none. A connection found broken (the
     * server ended it, the network dropped) is replaced once and the work run again; a second break, or any other
     * failure, is thrown as it came. {@link Handling#afterUse} runs after each attempt, failed or not.
     */
    public synchronized <T> T use(Opener<C, X> open, Work<C, T, X> work) throws X {
        for (boolean retried = false; ; retried = true) {
            if (connection == null) {
                connection = open.open();
            }
            try {
                return work.on(connection);
            } catch (Exception e) {
                if (retried || !handling.broken(connection, e)) {
                    throw e;
                }
                discard();
            } finally {
                afterUse();
            }
        }
    }

    private void afterUse() {
        if (connection == null) {
            return;
        }
        try {
            handling.afterUse(connection);
        } catch (Exception e) {
            discard(); // cannot be made ready: the next use opens a new one
        }
    }

    private void discard() {
        try {
            if (connection != null) {
                handling.close(connection);
            }
        } catch (Exception e) {
            // already broken: nothing left to release
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        discard();
    }
}
