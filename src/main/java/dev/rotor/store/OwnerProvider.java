package dev.rotor.store;

import java.util.Map;
import java.util.Set;

/** A type that only enforces credentials (a database, a cache): an owner, never a target or a journal. */
public interface OwnerProvider extends Provider {
    @Override
    default boolean isStore() {
        return false;
    }

    @Override
    default boolean isOwner() {
        return true;
    }

    @Override
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /** The user (role, ACL user) whose credential rotates. */
    @Override
    default Set<String> ownerKeys() {
        return Set.of("user");
    }

    @Override
    default Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' of type " + type()
                + " holds no copies: use it as a secret's owner, not as a target or journal",
                "write `owner: { store: " + storeName + ", user: NAME }`");
    }
}
