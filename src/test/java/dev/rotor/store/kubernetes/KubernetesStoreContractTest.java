package dev.rotor.store.kubernetes;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against fabric8's CRUD mock: every address is a key of the Secret contract in namespace apps. */
class KubernetesStoreContractTest extends StoreContract {
    private KubeMock mock;
    private Store store;

    @BeforeEach
    void start() {
        mock = new KubeMock("apps");
        store = mock.open("apps", Map.of());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return new Address(name, Map.of("secret", "contract"));
    }
}
