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
        java.util.List<KeyProblem> problems = new java.util.ArrayList<>();
        for (String key : List.of("user", "alternate-with")) {
            Object name = options.get(key);
            if (admin != null && name != null && !Template.unrendered(admin) && admin.equals(name.toString().trim())) {
                problems.add(new KeyProblem(key, "refusing to rotate " + type() + " user '" + admin + "': it is the "
                        + "user Rotor connects as (rotating the credential Rotor connects with)",
                        "connect as another user that may change passwords to rotate it"));
            }
        }
        Object other = options.get("alternate-with");
        if (other != null && other.toString().trim().equals(user.toString().trim())) {
            problems.add(new KeyProblem("alternate-with", "'alternate-with' names the user itself; two users take turns",
                    "name a second user, e.g. 'alternate-with: " + user.toString().trim() + "_b'"));
        }
        Object series = options.get("series");
        if (series != null && !Template.unrendered(series) && (other != null
                || series.toString().indexOf("{n}") < 0 || series.toString().indexOf("{n}") != series.toString().lastIndexOf("{n}"))) {
            problems.add(new KeyProblem("series", other != null ? "give either 'series' or 'alternate-with', not both"
                    : "series '" + series + "' must contain {n} exactly once (the user's number)",
                    "write e.g. 'series: " + user.toString().trim() + "_v{n}'"));
        }
        Object retire = options.get("retire-user");
        if (retire != null && !List.of("drop", "nologin").contains(retire.toString())) {
            problems.add(new KeyProblem("retire-user", "'retire-user' must be drop or nologin, not '" + retire + "'",
                    "write 'retire-user: drop' (the default) or 'retire-user: nologin' (the user stays, unable to log in)"));
        }
        Object probe = options.get("probe");
        if (probe != null && !(probe instanceof Boolean)) {
            problems.add(new KeyProblem("probe", "'probe' is true or false, not '" + probe + "'",
                    "write 'probe: true' to measure the downtime consumers see on every rotation"));
        }
        return problems;
    }

    /** {@code retire-user: nologin}: an old user stays, unable to log in, instead of being dropped (checked by {@link #checkOwner}). */
    default boolean retiresUsersByNologin(Map<String, Object> options) {
        return "nologin".equals(String.valueOf(options.get("retire-user")).trim());
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
