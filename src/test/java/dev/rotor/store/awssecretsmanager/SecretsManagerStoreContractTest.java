package dev.rotor.store.awssecretsmanager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;

/** The store contract against the Secrets Manager double: every address is a key of the one JSON secret app/contract. */
class SecretsManagerStoreContractTest extends StoreContract {
    private SecretsManagerDouble aws;
    private Store store;

    @BeforeEach
    void start() {
        aws = new SecretsManagerDouble();
        store = new SecretsManagerStores().open(aws);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return new Address("app/contract", Map.of("key", name));
    }

    /** What the double holds under AWSCURRENT, read apart from the store under test. */
    @Override
    protected Optional<String> backingValue(Address address) {
        return aws.current("app/contract").flatMap(json -> {
            try {
                JsonNode held = new ObjectMapper().readTree(json).get(String.valueOf(address.scope().get("key")));
                return held == null ? Optional.empty() : Optional.of(held.asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
