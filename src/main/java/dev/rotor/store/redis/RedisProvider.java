package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerProvider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

import java.util.Map;
import java.util.Set;

/**
 * {@code type: redis}: an owner, not a store. The credential is a Redis ACL user's password; the store's settings
 * say how Rotor connects as an admin allowed to run ACL SETUSER. See docs/redis.md.
 */
public final class RedisProvider implements OwnerProvider {
    static final Set<String> SETTING_KEYS = Set.of("host", "port", "username", "password", "tls", "database", "persist");

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Set<String> settingKeys() {
        return SETTING_KEYS;
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("host", "password");
    }






    /** Opens the owner without any network call. */
    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        RedisSettings parsed = RedisSettings.parse(storeName, settings);
        Object user = ownerOptions == null ? null : ownerOptions.get("user");
        if (user == null || user.toString().isBlank()) {
            throw new StoreException(StoreException.Kind.INVALID, "owner on store '" + storeName
                    + "' (redis) needs user: the ACL user whose password rotates");
        }
        return new RedisAclOwner(parsed, user.toString().trim(), context == null ? null : context.progress());
    }
}
