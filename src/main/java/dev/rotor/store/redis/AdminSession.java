package dev.rotor.store.redis;

import dev.rotor.store.SharedConnection;
import redis.clients.jedis.Jedis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin connection to one Redis server, shared by every owner with the same settings for the run: one AUTH
 * instead of one per step. {@link SharedConnection} holds it (login tests, which the downtime probe runs from its own
 * thread, never use it); this is what Jedis adds: a connection the server closed (CLIENT KILL, the network dropped)
 * reports itself broken, and a use leaves nothing to tidy.
 */
final class AdminSession implements SharedConnection.Handling<Jedis, RuntimeException> {
    private static final Map<RedisSettings, SharedConnection<Jedis, RuntimeException>> BY_SERVER =
            new ConcurrentHashMap<>();
    private static final AdminSession JEDIS = new AdminSession();

    private AdminSession() {
    }

    static SharedConnection<Jedis, RuntimeException> of(RedisSettings settings) {
        return BY_SERVER.computeIfAbsent(settings, key -> new SharedConnection<>(JEDIS));
    }

    @Override
    public boolean broken(Jedis jedis, Exception failure) {
        return jedis.isBroken();
    }

    @Override
    public void close(Jedis jedis) {
        jedis.close();
    }
}
