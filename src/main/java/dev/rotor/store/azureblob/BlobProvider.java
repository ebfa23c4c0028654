package dev.rotor.store.azureblob;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rotor.azure.AzureConnection;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: azure-blob}: one block blob per target in an Azure Storage container, and a durable journal that
 * refuses a stale write (ETag {@code If-Match} / {@code If-None-Match: *}). No Azure SDK type appears here: the SDK
 * loads when a store is opened. See docs/azure-blob.md.
 */
public final class BlobProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT);
    private static final int MAX_NAME = 1024;

    private final AzureConnection.Retries retries;

    public BlobProvider() {
        this(AzureConnection.Retries.DEFAULT);
    }

    /** With other retry bounds: for tests. */
    BlobProvider(AzureConnection.Retries retries) {
        this.retries = retries;
    }

    @Override
    public String type() {
        return "azure-blob";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("account", "url", "container", "prefix", "ca-bundle");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("container");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return BlobSettings.check(settings);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String checkTargetName(String name) {
        if (name != null && name.startsWith(BlobStore.JOURNAL_FOLDER)) {
            return "blob names under " + BlobStore.JOURNAL_FOLDER + " are Rotor's journal";
        }
        return nameProblem(name);
    }

    /** Blob names: 1-1024 characters, no empty segment, none ending in a period or slash (Azure drops those). */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return "a blob name is 1-" + MAX_NAME + " characters";
        }
        if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.contains("//")
                || name.contains("\\")) {
            return "blob name '" + name + "' has an empty segment, a backslash or a trailing period or slash";
        }
        return null;
    }

    /** Opens the store without a request: the credential and the container are first used by preflight. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        BlobSettings parsed = BlobSettings.parse(storeName, settings, context.baseDirectory());
        return new BlobStore(parsed, new AzureConnection("store '" + storeName + "' (azure-blob)", context,
                parsed.caBundle(), retries));
    }
}
