package dev.rotor.testing;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerProvider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code type: memory-owner}, test only: an owner whose valid credentials live in memory, per {@code user}, so tests
 * can see what it accepts and when it retires. {@code several: true} makes it hold two credentials at once (like a
 * Redis ACL user); {@code fail-with-value: true} makes accept throw a library-style exception quoting the value.
 */
public final class MemoryOwnerProvider implements OwnerProvider {
    /** Valid credentials per user, and the log of calls (names only). */
    public static final Map<String, List<String>> VALID = new ConcurrentHashMap<>();
    public static final List<String> CALLS = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void reset() {
        VALID.clear();
        CALLS.clear();
    }

    @Override
    public String type() {
        return "memory-owner";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("several", "fail-with-value", "fail-removal");
    }

    @Override
    public Set<String> strategies() {
        return Set.of("single-user", "dual-password", "alternating-users");
    }

    @Override
    public Set<String> ownerKeys() {
        return ALTERNATING_USER_KEYS;
    }

    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        String user = String.valueOf(ownerOptions.get("user"));
        boolean several = Boolean.parseBoolean(String.valueOf(settings.getOrDefault("several", false)));
        boolean failWithValue = Boolean.parseBoolean(String.valueOf(settings.getOrDefault("fail-with-value", false)));
        boolean failRemoval = Boolean.parseBoolean(String.valueOf(settings.getOrDefault("fail-removal", false)));
        return new Owner() {
            @Override
            public Set<Ability> abilities() {
                return several ? Set.of(Ability.SEVERAL_CREDENTIALS, Ability.SEVERAL_USERS) : Set.of(Ability.SEVERAL_USERS);
            }

            @Override
            public void preflight(String activeUser) {
                CALLS.add("preflight " + user);
            }

            @Override
            public void accept(String newValue, String oldValue) {
                if (failWithValue) {
                    throw new IllegalStateException("driver refused password " + newValue);
                }
                CALLS.add("accept " + user);
                List<String> valid = VALID.computeIfAbsent(user, u -> new ArrayList<>());
                if (!several) {
                    valid.clear();
                }
                if (!valid.contains(newValue)) {
                    valid.add(newValue);
                }
            }

            @Override
            public java.util.Optional<String> test(String value) {
                CALLS.add("test " + user);
                return test(user, value);
            }

            @Override
            public java.util.Optional<String> test(String name, String value) {
                if (!VALID.getOrDefault(name, List.of()).contains(value)) {
                    throw new StoreException(StoreException.Kind.PERMISSION, "login as " + name + " refused");
                }
                return java.util.Optional.empty();
            }

            @Override
            public void createUserLike(String name, String password, String like) {
                CALLS.add("create " + name + (like == null ? "" : " like " + like));
                VALID.put(name, new ArrayList<>(List.of(password)));
            }

            @Override
            public java.util.Optional<String> removeUser(String name, boolean emergency) {
                CALLS.add("remove " + name + (emergency ? " (emergency)" : ""));
                if (failRemoval) {
                    throw new StoreException(StoreException.Kind.TRANSIENT, "memory owner: removing " + name
                            + " failed (the server did not answer)");
                }
                VALID.remove(name);
                return java.util.Optional.empty();
            }

            @Override
            public void retire(String oldValue, List<String> keptValues) {
                CALLS.add("retire " + user);
                VALID.put(user, new ArrayList<>(keptValues));
            }
        };
    }
}
