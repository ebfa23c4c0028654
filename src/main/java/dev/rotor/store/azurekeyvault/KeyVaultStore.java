package dev.rotor.store.azurekeyvault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.util.Context;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * One Key Vault secret per address (the target's name). A write that changes the value is a SetSecret, which makes a
 * new version; its Secret Id ({@code https://VAULT.vault.azure.net/secrets/NAME/VERSION}, the "Secret Id" the portal
 * shows and the runbook attaches to the ticket) is the version Rotor reports. The content type and tags of the
 * current version are carried to the new one, with the target's own on top. Key Vault has no conditional SetSecret,
 * so this store never claims compare-and-set and cannot hold a journal. A delete soft-deletes one secret.
 */
final class KeyVaultStore implements Store {
    private final String storeName;
    private final SecretClient client;
    private final KeyVaultErrors errors;

    KeyVaultStore(String storeName, KeyVaultSettings settings, SecretClient client, String identity) {
        this.storeName = storeName;
        this.client = client;
        this.errors = new KeyVaultErrors(storeName, settings, identity);
    }

    @Override
    public Set<Capability> capabilities() {
        return AzureKeyVaultProvider.CAPABILITIES;
    }

    /**
     * Reads each secret (the identity must be able to get it) and, for one that is absent, asks whether a deleted
     * secret holds its name: a SetSecret would be refused after the owner already changed, so it is refused here.
     */
    @Override
    public void preflight(List<Address> addresses) {
        for (Address address : addresses) {
            String name = nameOf(address);
            KeyVaultSettings.target(storeName, address.scope());
            if (current(name).isEmpty() && softDeleted(name)) {
                throw errors.deleted(name);
            }
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        return current(nameOf(address)).map(secret -> new Stored(secret.getValue(), secret.getId(), updated(secret.getProperties())));
    }

    @Override
    public Written write(Address address, String value) {
        String name = nameOf(address);
        KeyVaultSettings.Target target = KeyVaultSettings.target(storeName, address.scope());
        Optional<KeyVaultSecret> current = current(name);
        if (current.isPresent() && value.equals(current.get().getValue())) {
            return new Written(current.get().getId(), false);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String contentType = target.contentType();
        if (current.isPresent()) {
            SecretProperties kept = current.get().getProperties();
            if (kept.getTags() != null) {
                tags.putAll(kept.getTags());
            }
            contentType = contentType == null ? kept.getContentType() : contentType;
        }
        tags.putAll(target.tags());
        KeyVaultSecret secret = new KeyVaultSecret(name, value);
        secret.getProperties().setContentType(contentType).setTags(tags.isEmpty() ? null : tags);
        try {
            return new Written(client.setSecretWithResponse(secret, Context.NONE).getValue().getId(), true);
        } catch (RuntimeException e) {
            throw errors.failure(e, "set", name);
        }
    }

    /**
     * DeleteSecret: Key Vault soft-deletes the secret with all its versions (recoverable for the vault's retention
     * period; its name cannot be set again until it is purged, which a key set never needs since its versions count
     * up). Key Vault answers 404 for a secret already gone or already soft-deleted. The SDK's poller is not waited on:
     * it only waits until the deleted secret is listed, and consumers stop getting the secret at the DELETE.
     */
    @Override
    public void delete(Address address) {
        String name = nameOf(address);
        try {
            client.beginDeleteSecret(name);
        } catch (HttpResponseException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                throw errors.failure(e, "delete", name);
            }
        } catch (RuntimeException e) {
            throw errors.failure(e, "delete", name);
        }
    }

    /** The latest version, or empty when the secret does not exist (a soft-deleted one does not either). */
    private Optional<KeyVaultSecret> current(String name) {
        try {
            return Optional.of(client.getSecretWithResponse(name, "", Context.NONE).getValue());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw errors.failure(e, "get", name);
        }
    }

    /** Whether a deleted secret holds the name; an identity that may not see deleted secrets is not refused for it. */
    private boolean softDeleted(String name) {
        try {
            client.getDeletedSecretWithResponse(name, Context.NONE);
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 403) {
                return false;
            }
            throw errors.failure(e, "get deleted", name);
        } catch (RuntimeException e) {
            throw errors.failure(e, "get deleted", name);
        }
    }

    private String nameOf(Address address) {
        String problem = KeyVaultSettings.checkSecretName(address.name());
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (azure-key-vault): target '"
                    + address.name() + "': " + problem);
        }
        return address.name();
    }

    private static Instant updated(SecretProperties properties) {
        return properties.getUpdatedOn() == null ? null : properties.getUpdatedOn().toInstant();
    }
}
