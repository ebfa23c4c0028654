package dev.rotor.store.azurekeyvault;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against Key Vault over HTTPS, signed in through the real DefaultAzureCredential. */
class KeyVaultStoreContractTest extends StoreContract {
    private KeyVaultDouble vault;
    private Store store;

    @BeforeEach
    void start() throws IOException {
        vault = new KeyVaultDouble();
        store = new KeyVaultStores().open(vault);
    }

    @AfterEach
    void stop() throws IOException {
        vault.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return Address.of(name);
    }
}
