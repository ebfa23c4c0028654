package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerProvider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

import java.util.Map;
import java.util.Set;

/**
 * {@code type: postgres}: a PostgreSQL server reached with an admin login; an owner (the password of a role), never a
 * store. See docs/postgres.md.
 */
public final class PostgresProvider implements OwnerProvider {
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
