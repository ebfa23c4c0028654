package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.UserOwnerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.atomic.AtomicInteger;

/** The alternating-users contract against real Redis ACL users; an open session is a Jedis connection logged in. */
class RedisUserOwnerContractTest extends UserOwnerContract {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();
    private static final AtomicInteger USERS = new AtomicInteger();

    @Override
    protected Owner owner() {
        redis.user(activeUser(), initialValue());
        return redis.owner(activeUser());
    }

    @Override
    protected String activeUser() {
        return "app";
    }

    @Override
    protected String initialValue() {
        return "initial-value";
    }

    @Override
    protected String freshUser() {
        return "app_v" + USERS.incrementAndGet();
    }

    @Override
    protected boolean loginWorks(String user, String value) {
        return redis.loginWorks(user, value);
    }

    @Override
    protected AutoCloseable openSession(String user, String value) {
        return redis.session(user, value);
    }
}
