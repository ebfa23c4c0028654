package dev.rotor.manifest;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@code type:} of the manifest's {@code stores:} declares, so that the manifest is validated (and its JSON
 * Schema written) before any network call. The store providers implement it; the manifest knows no provider.
 */
public interface StoreType {
    String type();

    /** Keys allowed beside {@code type} in {@code stores.NAME}. */
    Set<String> settingKeys();

    /** Of those, the required ones. */
    default Set<String> requiredSettingKeys() {
        return Set.of();
    }

    /**
     * Of the setting keys, those that hold a credential: each must be an {@code ${env:NAME}} reference, never a
     * literal, and Rotor refuses to rotate the variable it names. No other key is ever treated as a credential.
     */
    default Set<String> credentialKeys() {
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

    /**
     * The rotation strategies ({@code strategy:}) this type supports as a secret's owner: every owner can change a
     * credential in place (single-user); dual-password needs an owner holding two passwords for one user,
     * alternating-users one that creates users like another.
     */
    default Set<String> strategies() {
        return isOwner() ? Set.of("single-user") : Set.of();
    }

    /** Can delete one entry with its neighbours kept (a key set's expired version). */
    default boolean canDelete() {
        return false;
    }

    /** Holds copies consumers read (most types). */
    default boolean isStore() {
        return true;
    }

    /** Enforces a credential (PostgreSQL, Redis, a key set...). */
    default boolean isOwner() {
        return false;
    }

    /** Can hold a secret's journal: readable, with a pending slot apart from what consumers read, compare-and-set. */
    boolean canHoldJournal();

    /** Lives on this machine's disk: a journal there does not survive a hosted GitHub Actions runner. */
    boolean onLocalDisk();

    /** The largest value, in UTF-8 bytes, this store holds (GitHub: 48 KB); validate checks what it can know. */
    default OptionalLong maxValueBytes() {
        return OptionalLong.empty();
    }

    /** Returns a problem message for a rendered target name this store cannot hold, or null. */
    default String checkTargetName(String name) {
        return null;
    }

    /**
     * Problems in this type's settings that only it knows (a file mode, a URL); values still holding a template
     * ({@code ${...}}) are rendered only at plan time and are checked then. Nothing here may touch the network.
     */
    default List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return List.of();
    }

    /**
     * Problems in one target's keys beside store/name/value (its scope), given the settings of the store it names
     * (a GitHub organization store takes other target keys than a repository store).
     */
    default List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        return List.of();
    }

    /** Problems in an {@code owner:}'s options, given the settings of the store it names. */
    default List<KeyProblem> checkOwner(Map<String, Object> settings, Map<String, Object> options) {
        return List.of();
    }
}
