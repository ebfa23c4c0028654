package dev.rotor.github;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;
import dev.rotor.store.github.GithubProvider;

/** The shared store contract against the github store and a stateful GitHub double (values read by opening the boxes). */
class GithubStoreContractTest extends StoreContract {
    private static final String BASE = "/repos/acme/web/environments/prod/secrets";
    private GithubDouble github;
    private Store store;

    @BeforeEach
    void open() throws Exception {
        FakeTime time = new FakeTime();
        github = new GithubDouble(time);
        Map<String, Object> settings = new HashMap<>();
        settings.put("repository", "acme/web");
        settings.put("token", "ghp_contract");
        settings.put("api-url", github.url());
        store = new GithubProvider(time).openStore("gh", settings,
                new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { }));
    }

    @AfterEach
    void close() {
        github.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return new Address(name.toUpperCase(Locale.ROOT).replace('-', '_'), Map.of("environment", "prod"));
    }

    @Override
    protected Optional<String> backingValue(Address address) {
        return github.value(BASE, address.name());
    }
}
