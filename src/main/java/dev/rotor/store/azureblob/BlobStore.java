package dev.rotor.store.azureblob;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import dev.rotor.azure.AzureConnection;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * One block blob per address in one container. Blob Storage makes a write conditional on the blob's ETag
 * ({@code If-Match}) or on its absence ({@code If-None-Match: *}) and refuses a stale one (412 ConditionNotMet,
 * 409 BlobAlreadyExists): that is {@link #writeIfVersion}, so two runs can never both take a journal's lease. The
 * journal of a unit is {@code {prefix}/.rotor/journal/{unit}.json}, apart from every target blob.
 */
final class BlobStore implements Store {
    static final String JOURNAL_FOLDER = ".rotor/journal/";
    private static final String STORAGE_SCOPE = "https://storage.azure.com/.default";
    private static final String READ = "the Storage Blob Data Reader role (or Contributor, to write) on the container";
    private static final String WRITE = "the Storage Blob Data Contributor role on the container "
            + "(Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write)";

    private final BlobSettings settings;
    private final AzureConnection azure;
    private final BlobContainerClient container;

    BlobStore(BlobSettings settings, AzureConnection azure) {
        this.settings = settings;
        this.azure = azure;
        this.container = new BlobContainerClientBuilder().endpoint(settings.endpoint())
                .containerName(settings.container()).pipeline(azure.pipeline(STORAGE_SCOPE)).buildClient();
    }

    @Override
    public Set<Capability> capabilities() {
        return BlobProvider.CAPABILITIES;
    }

    @Override
    public Address journalAddress(String unit) {
        return new Address(JOURNAL_FOLDER + unit + ".json", Map.of());
    }

    /** Reads each blob's properties (absent is fine): the container exists and the identity may read. Writes nothing. */
    @Override
    public void preflight(List<Address> addresses) {
        for (Address address : addresses) {
            properties(address);
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        String blob = blobOf(address);
        return call("read blob " + blob, READ, () -> {
            try {
                BlobDownloadContentResponse response = blockBlob(blob).downloadContentWithResponse(null, null, null,
                        Context.NONE);
                return Optional.of(new Stored(response.getValue().toString(), response.getDeserializedHeaders().getETag(),
                        instant(response.getDeserializedHeaders().getLastModified())));
            } catch (BlobStorageException e) {
                if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Last-Modified from the blob's properties (a HEAD: the value is not fetched). */
    @Override
    public Optional<Instant> updatedAt(Address address) {
        return properties(address).map(p -> instant(p.getLastModified()));
    }

    @Override
    public Written write(Address address, String value) {
        Optional<Stored> current = read(address);
        if (current.isPresent() && current.get().value().equals(value)) {
            return new Written(current.get().version(), false);
        }
        return new Written(upload(address, value, new BlobRequestConditions()), true);
    }

    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        BlobRequestConditions conditions = expectedVersion == null ? new BlobRequestConditions().setIfNoneMatch("*")
                : new BlobRequestConditions().setIfMatch(expectedVersion);
        return new Written(upload(address, value, conditions), true);
    }

    /** One Put Blob of a block blob (never staged blocks), under {@code conditions}; returns the new ETag. */
    private String upload(Address address, String value, BlobRequestConditions conditions) {
        String blob = blobOf(address);
        return call("write blob " + blob, WRITE, () -> {
            BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromString(value))
                    .setHeaders(new BlobHttpHeaders().setContentType(blob.endsWith(".json")
                            ? "application/json; charset=utf-8" : "text/plain; charset=utf-8"))
                    .setRequestConditions(conditions);
            Response<BlockBlobItem> response = blockBlob(blob).uploadWithResponse(options, null, Context.NONE);
            return response.getValue().getETag();
        });
    }

    private Optional<BlobProperties> properties(Address address) {
        String blob = blobOf(address);
        return call("read the properties of blob " + blob, READ, () -> {
            try {
                return Optional.of(blockBlob(blob).getPropertiesWithResponse(null, null, Context.NONE).getValue());
            } catch (BlobStorageException e) {
                // a HEAD has no body: its error code comes in x-ms-error-code, which the SDK reads as well
                if (e.getStatusCode() == 404 && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Storage's error answers, by status and x-ms-error-code, as one line with names only. */
    private <T> T call(String operation, String grant, java.util.function.Supplier<T> call) {
        return azure.call(operation, grant, () -> {
            try {
                return call.get();
            } catch (BlobStorageException e) {
                String code = e.getErrorCode() == null ? null : e.getErrorCode().toString();
                if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                    throw new StoreException(StoreException.Kind.NOT_FOUND, azure.label() + ": container '"
                            + settings.container() + "' does not exist (" + e.getStatusCode() + " " + code + ")",
                            "create it (az storage container create --auth-mode login) or fix container:");
                }
                throw azure.failure(operation, e.getStatusCode(), code, grant);
            }
        });
    }

    private BlockBlobClient blockBlob(String blob) {
        return container.getBlobClient(blob).getBlockBlobClient();
    }

    private String blobOf(Address address) {
        String problem = BlobProvider.nameProblem(address.name());
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, azure.label() + ": " + problem);
        }
        return settings.blobName(address.name());
    }

    private static Instant instant(java.time.OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
