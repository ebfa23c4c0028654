package dev.rotor.store.redis;

import redis.clients.jedis.Jedis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin connection to one Redis server, shared by every owner with the same settings for the run: one AUTH
 * instead of one per step. Opened on first use, closed by {@link #close} (any owner's close: the engine closes them
 * all when the run ends, and a later use opens it again).
 *
 * <p>Thread-safe: {@link #use} and {@link #close} are synchronized, so the connection never serves two threads at
 * once (login tests, which the downtime probe runs from its own thread, never use it).
 */
final class AdminSession implements AutoCloseable {
    private static final Map<RedisSettings, AdminSession> BY_SERVER = new ConcurrentHashMap<>();

    private Jedis jedis;

    static AdminSession of(RedisSettings settings) {
        return BY_SERVER.computeIfAbsent(settings, key -> new AdminSession());
    }

    /**
     * Runs {@code work} on the connection, made by {@code logIn} when there is none. A connection found broken (the
     * server closed it, CLIENT KILL, the network dropped) is replaced once and the work run again: every owner step
     * is idempotent.
     */
    synchronized <T> T use(Supplier<Jedis> logIn, Function<Jedis, T> work) {
        for (boolean retried = false; ; retried = true) {
            if (jedis == null) {
                jedis = logIn.get();
            }
            try {
                return work.apply(jedis);
            } catch (RuntimeException e) {
                if (retried || !jedis.isBroken()) {
                    throw e;
                }
                close();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                // closing a broken connection: nothing to do
            }
            jedis = null;
        }
    }
}
