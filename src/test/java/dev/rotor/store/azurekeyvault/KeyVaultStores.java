package dev.rotor.store.azurekeyvault;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** Opens azure-key-vault stores against a {@link KeyVaultDouble}, with short waits between retries. */
final class KeyVaultStores {
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final ProviderContext.Resends resends = new ProviderContext.Resends();

    Store open(KeyVaultDouble vault, Map<String, String> env) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("vault", vault.vaultName);
        settings.put("ca-bundle", KeyVaultDouble.caBundle().toString());
        return new AzureKeyVaultProvider(Duration.ofMillis(20), Duration.ofMillis(200)).openStore("keyvault", settings,
                new ProviderContext(env, Path.of("."), Clock.systemUTC(), progress::add, resends));
    }

    Store open(KeyVaultDouble vault) {
        return open(vault, vault.env());
    }
}
