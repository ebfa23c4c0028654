package dev.rotor.store;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.KeyProblem;

import java.util.List;
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

    /** Every owner's keys: the user (role, ACL user) whose credential rotates, and the downtime probe. */
    Set<String> OWNER_KEYS = Set.of("user", "probe");
    /**
     * The keys of owners that can also rotate by alternating users: besides every owner's, the next user's name ({@code alternate-with: NAME}, or a
     * numbered {@code series: backend_v{n}}) and how an old user is retired ({@code retire-user: drop | nologin}).
     */
    Set<String> ALTERNATING_USER_KEYS = Set.of("user", "probe", "alternate-with", "series", "retire-user");

    @Override
    default Set<String> ownerKeys() {
        return OWNER_KEYS;
    }

    /**
     * The user Rotor connects as, from the store's settings (null when unknown or still a template): Rotor never
     * rotates the credential it authenticates with.
     */
    default String connectingUser(Map<String, Object> settings) {
        return null;
    }

    /** The user is required, and it must not be the user Rotor connects as. */
    @Override
    default List<KeyProblem> checkOwner(Map<String, Object> settings, Map<String, Object> options) {
        Object user = options == null ? null : options.get("user");
        if (user == null || user.toString().isBlank()) {
            return List.of(new KeyProblem(user == null ? null : "user", "the owner names no " + type()
                    + " user: 'user' is required", "add 'user: NAME', the user whose credential rotates"));
        }
        String admin = connectingUser(settings);
        if (admin != null && !Template.unrendered(admin) && admin.equals(user.toString().trim())) {
            return List.of(new KeyProblem("user", "refusing to rotate " + type() + " user '" + admin + "': it is the "
                    + "user Rotor connects as (rotating the credential Rotor connects with)",
                    "connect as another user that may change passwords to rotate it"));
        }
        return List.of();
    }

    /** The owner's user, for {@link #openOwner}; refuses what {@link #checkOwner} reports. */
    default String ownerUser(String storeName, Map<String, Object> settings, Map<String, Object> options) {
        List<KeyProblem> problems = checkOwner(settings, options);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "owner on store '" + storeName + "' (" + type()
                    + "): " + problems.get(0).message(), problems.get(0).suggestion());
        }
        return options.get("user").toString().trim();
    }

    @Override
    default Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' of type " + type()
                + " holds no copies: use it as a secret's owner, not as a target or journal",
                "write `owner: { store: " + storeName + ", user: NAME }`");
    }
}
