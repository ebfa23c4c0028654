package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared owner contract against a real Redis ACL user (two passwords until retire). */
class RedisAclOwnerContractTest extends OwnerContract {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

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
