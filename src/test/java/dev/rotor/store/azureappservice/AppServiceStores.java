package dev.rotor.store.azureappservice;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rotor.azure.AzureConnection;
import dev.rotor.azure.AzureDouble;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** Opens azure-app-service stores against an {@link AzureDouble} through the provider, with short retry waits. */
final class AppServiceStores {
    static final AzureConnection.Retries FAST = new AzureConnection.Retries(4, Duration.ofMillis(20), Duration.ofMillis(100));
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final ProviderContext.Resends resends = new ProviderContext.Resends();

    Store open(AzureDouble azure, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of("subscription", AzureDouble.SUBSCRIPTION,
                "resource-group", "rg-mindwell-dev", "app", "mindwell-dev-api", "management-url", azure.url(),
                "ca-bundle", AzureDouble.caBundle().toString(), "restart-timeout", "3s"));
        settings.putAll(extra);
        return new AppServiceProvider(FAST).openStore("web", settings, new ProviderContext(azure.env(), Path.of("."),
                Clock.systemUTC(), progress::add, resends));
    }
}
