package dev.rotor.store.onepassword;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against the Connect double: every address is a field of the one item "MindWell dev Postgres Admin". */
class OnePasswordStoreContractTest extends StoreContract {
    private ConnectDouble connect;
    private Store store;

    @BeforeEach
    void start() {
        connect = new ConnectDouble();
        connect.vault("MindWell");
        store = new ConnectStores().open(connect, Map.of("vault", "MindWell"));
    }

    @AfterEach
    void stop() {
        connect.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return ConnectStores.field("MindWell dev Postgres Admin", name);
    }
}
