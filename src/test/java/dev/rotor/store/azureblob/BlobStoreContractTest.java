package dev.rotor.store.azureblob;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.azure.AzureConnection;
import dev.rotor.azure.AzureDouble;
import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against Blob Storage as the double serves it: every address is a blob under prefix rotor/. */
class BlobStoreContractTest extends StoreContract {
    static final AzureConnection.Retries FAST = new AzureConnection.Retries(4, Duration.ofMillis(20), Duration.ofMillis(100));
    private AzureDouble azure;
    private Store store;

    static Store open(AzureDouble azure, ProviderContext.Resends resends, java.util.function.Consumer<String> progress) {
        return new BlobProvider(FAST).openStore("journal", Map.of("url", azure.blobUrl(), "container", "rotor-state",
                "prefix", "mindwell/", "ca-bundle", AzureDouble.caBundle().toString()),
                new ProviderContext(azure.env(), Path.of("."), Clock.systemUTC(), progress, resends));
    }

    @BeforeEach
    void start() {
        azure = new AzureDouble();
        azure.container("rotor-state");
        store = open(azure, new ProviderContext.Resends(), line -> { });
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
        return Address.of("secrets/" + name);
    }
}
