package dev.rotor.store.vault;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against the Vault KV v2 double: every address is a field of the one secret app/contract. */
class VaultStoreContractTest extends StoreContract {
    private VaultDouble vault;
    private Store store;

    @BeforeEach
    void start() throws IOException {
        vault = new VaultDouble();
        store = new VaultStores().open(vault);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return new Address(name, Map.of("path", "app/contract"));
    }
}
