package dev.rotor.store;

import dev.rotor.manifest.KeyProblem;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code type:} of the manifest's {@code stores:}. Declares its keys so the manifest is validated before any
 * network call, and opens the store and/or owner from rendered settings. Adding an integration is a package
 * with a Provider and one line in {@link Providers}.
 */
public interface Provider {
    String type();

    /** Keys allowed beside {@code type} in {@code stores.NAME}. */
    Set<String> settingKeys();

    /** Of those, the required ones. */
    default Set<String> requiredSettingKeys() {
        return Set.of();
    }

    /** Keys allowed in a target beside store/name/value (e.g. environment, visibility). Empty when not a store. */
    default Set<String> targetKeys() {
        return Set.of();
    }

    /** Of the target keys, the required ones (a Vault target's {@code path}). */
    default Set<String> requiredTargetKeys() {
        return Set.of();
    }

    /** Keys allowed in {@code owner:} beside store. Empty when the type is not an owner. */
    default Set<String> ownerKeys() {
        return Set.of();
    }

    /** Holds copies consumers read (most types). */
    default boolean isStore() {
        return true;
    }

    /** Enforces a credential (PostgreSQL, Redis, a key set...). */
    default boolean isOwner() {
        return false;
    }

    /** Capabilities its stores have, known before opening (validation asks if a journal is readable). */
    Set<Capability> capabilities();

    /** The largest value, in UTF-8 bytes, this store holds (GitHub: 48 KB); validate checks what it can know. */
    default java.util.OptionalLong maxValueBytes() {
        return java.util.OptionalLong.empty();
    }

    /**
     * Problems in this type's settings that only it knows (a file mode, a URL); values still holding a template
     * ({@code ${...}}) are rendered only at plan time and are checked then. Nothing here may touch the network.
     */
    default List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return List.of();
    }

    /** Problems in one target's keys beside store/name/value (its scope). */
    default List<KeyProblem> checkTarget(Map<String, Object> scope) {
        return List.of();
    }

    /** Problems in an {@code owner:}'s options. */
    default List<KeyProblem> checkOwner(Map<String, Object> options) {
        return List.of();
    }

    /** Returns a problem message for a rendered target name this store cannot hold, or null. */
    default String checkTargetName(String name) {
        return null;
    }

    Store openStore(String storeName, Map<String, Object> settings, ProviderContext context);

    default Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                            ProviderContext context) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' of type " + type()
                + " cannot own a credential");
    }
}
