package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;

/** The shared owner contract against a real Redis ACL user (two passwords until retire). */
class RedisAclOwnerContractTest extends OwnerContract {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void start() {
        redis = new EmbeddedRedis();
    }

    @AfterAll
    static void stop() throws IOException {
        redis.close();
    }

    @Override
    protected Owner owner() {
        redis.user("app", initialValue());
        return redis.owner("app");
    }

    @Override
    protected String initialValue() {
        return "initial-value";
    }

    @Override
    protected boolean loginWorks(String value) {
        return redis.loginWorks("app", value);
    }
}
