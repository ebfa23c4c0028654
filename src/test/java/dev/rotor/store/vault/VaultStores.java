package dev.rotor.store.vault;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rotor.http.Time;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** Opens vault-kv stores against a {@link VaultDouble} with a clock that never sleeps for real. */
final class VaultStores {
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final ProviderContext.Resends resends = new ProviderContext.Resends();
    volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");
    final Time time = new Time() {
        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }
    };

    Store open(VaultDouble vault, Map<String, Object> settings, Map<String, String> env) {
        return open(vault, settings, env, VaultProvider.DEFAULT_ATTEMPTS);
    }

    Store open(VaultDouble vault, Map<String, Object> settings, Map<String, String> env, int attempts) {
        Map<String, Object> all = new HashMap<>();
        all.put("address", vault.url());
        all.putAll(settings);
        if (!all.containsKey("auth") && !all.containsKey("token")) {
            all.put("token", VaultDouble.ROOT_TOKEN);
        }
        return new VaultProvider(time, attempts).openStore("vault", all,
                new ProviderContext(env, Path.of("."), Clock.systemUTC(), progress::add, resends));
    }

    Store open(VaultDouble vault) {
        return open(vault, Map.of(), Map.of());
    }
}
