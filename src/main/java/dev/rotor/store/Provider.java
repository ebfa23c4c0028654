package dev.rotor.store;

import dev.rotor.manifest.StoreType;

import java.util.Map;
import java.util.Set;

/**
 * One {@code type:} of the manifest's {@code stores:}. Declares its keys, credentials and rules as a
 * {@link StoreType} so the manifest is validated before any network call, and opens the store and/or owner from
 * rendered settings. Adding an integration is a package with a Provider and one line in
 * {@code META-INF/services/dev.rotor.store.Provider}. A provider touches its SDK only when a store is opened.
 */
public interface Provider extends StoreType {
    /** Capabilities its stores have, known before opening. */
    Set<Capability> capabilities();

    @Override
    default boolean canHoldJournal() {
        return isStore() && capabilities().containsAll(Set.of(Capability.READABLE, Capability.PENDING_SLOT,
                Capability.COMPARE_AND_SET));
    }

    @Override
    default boolean canDelete() {
        return capabilities().contains(Capability.DELETE);
    }

    @Override
    default boolean onLocalDisk() {
        return capabilities().contains(Capability.LOCAL);
    }

    Store openStore(String storeName, Map<String, Object> settings, ProviderContext context);

    default Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                            ProviderContext context) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' of type " + type()
                + " cannot own a credential");
    }
}
