package dev.rotor.store.onepassword;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rotor.github.FakeTime;
import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** Opens onepassword stores against a {@link ConnectDouble} with virtual time, recording progress and resends. */
final class ConnectStores {
    final FakeTime time = new FakeTime();
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final ProviderContext.Resends resends = new ProviderContext.Resends();

    Store open(ConnectDouble connect, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("host", connect.url());
        all.put("token", ConnectDouble.TOKEN);
        all.putAll(settings);
        return new OnePasswordProvider(time, ConnectClient.DEFAULT_ATTEMPTS).openStore("op", all,
                new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), progress::add, resends));
    }

    static Address field(String item, String label, String... more) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("item", item);
        for (int i = 0; i < more.length; i += 2) {
            scope.put(more[i], more[i + 1]);
        }
        return new Address(label, scope);
    }
}
