package dev.rotor.store.postgres;

import dev.rotor.store.Capability;
import dev.rotor.store.Owner;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;

import java.util.Map;
import java.util.Set;

/**
 * {@code type: postgres}: a PostgreSQL server reached with an admin login; an owner (the password of a role), never a
 * store. See docs/postgres.md.
 */
public final class PostgresProvider implements Provider {
    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Set<String> settingKeys() {
        return PostgresServer.KEYS;
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("host", "user", "password");
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
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName
                + "' of type postgres holds no copies: use it as a secret's owner, not as a target or journal",
                "write `owner: { store: " + storeName + ", user: ROLE }`");
    }

    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        Object role = ownerOptions == null ? null : ownerOptions.get("user");
        if (role == null || role.toString().isBlank()) {
            throw new StoreException(StoreException.Kind.INVALID, "owner of store '" + storeName
                    + "' (postgres) names no role", "write `owner: { store: " + storeName + ", user: ROLE }`");
        }
        return new PostgresOwner(PostgresServer.of(storeName, settings), role.toString());
    }
}
