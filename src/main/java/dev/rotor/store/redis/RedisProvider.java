package dev.rotor.store.redis;

import dev.rotor.store.Capability;
import dev.rotor.store.Owner;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;

import java.util.Map;
import java.util.Set;

/**
 * {@code type: redis}: an owner, not a store. The credential is a Redis ACL user's password; the store's settings
 * say how Rotor connects as an admin allowed to run ACL SETUSER. See docs/redis.md.
 */
public final class RedisProvider implements Provider {
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

    @Override
    public Set<String> ownerKeys() {
        return Set.of("user");
    }

    @Override
    public boolean isStore() {
        return false;
    }

    @Override
    public boolean isOwner() {
        return true;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' of type redis holds no"
                + " copies: use it as an owner ({ store: " + storeName + ", user: NAME }), not as a target or journal");
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
