package dev.rotor.testing;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code type: restarting-store}, test only: a write-only store whose consumers must be restarted to read a new
 * value; it logs every write and restart (names only), so tests can see the engine restarts once per unit, after
 * every write and before verification.
 */
public final class RestartingStoreProvider implements Provider {
    public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String type() {
        return "restarting-store";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of();
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("restart");
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.RESTART);
    }

    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        return new Store() {
            @Override
            public Set<Capability> capabilities() {
                return Set.of(Capability.RESTART);
            }

            @Override
            public void preflight(List<Address> addresses) {
            }

            @Override
            public Optional<Stored> read(Address address) {
                return Optional.empty();
            }

            @Override
            public Written write(Address address, String value) {
                EVENTS.add("write " + address.name());
                return new Written(null, true);
            }

            @Override
            public void restart(List<Address> addresses) {
                EVENTS.add("restart " + addresses.stream().filter(a -> Boolean.TRUE.equals(a.scope().get("restart")))
                        .map(Address::name).toList());
            }
        };
    }
}
