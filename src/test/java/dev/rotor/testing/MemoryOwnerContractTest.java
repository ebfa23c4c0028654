package dev.rotor.testing;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerContract;
import dev.rotor.store.ProviderContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The test owner the engine tests rely on keeps the owner contract (one credential at a time). */
class MemoryOwnerContractTest extends OwnerContract {
    static Owner open(boolean several) {
        MemoryOwnerProvider.reset();
        MemoryOwnerProvider.VALID.put("contract", new ArrayList<>(List.of("initial-value")));
        return new MemoryOwnerProvider().openOwner("db", Map.of("several", several), Map.of("user", "contract"),
                new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { }));
    }

    @Override
    protected Owner owner() {
        return open(false);
    }

    @Override
    protected String initialValue() {
        return "initial-value";
    }

    @Override
    protected boolean loginWorks(String value) {
        return MemoryOwnerProvider.VALID.get("contract").contains(value);
    }
}
