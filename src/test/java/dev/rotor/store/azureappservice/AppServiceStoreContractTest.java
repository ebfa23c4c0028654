package dev.rotor.store.azureappservice;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.azure.AzureDouble;
import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against App Service's settings API as the ARM double serves it. */
class AppServiceStoreContractTest extends StoreContract {
    private AzureDouble azure;
    private Store store;

    @BeforeEach
    void start() {
        azure = new AzureDouble();
        azure.app("rg-mindwell-dev", "mindwell-dev-api", null, Map.of("WEBSITES_PORT", "8000"), List.of());
        store = new AppServiceStores().open(azure, Map.of());
    }

    @AfterEach
    void stop() {
        azure.close();
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
