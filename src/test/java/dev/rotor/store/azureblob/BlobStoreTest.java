package dev.rotor.store.azureblob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.rotor.azure.AzureDouble;
import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;

/** Blob Storage's conditional writes as the journal uses them, the request shapes, and its error answers. */
class BlobStoreTest {
    private static final String JOURNAL = "/" + AzureDouble.ACCOUNT + "/rotor-state/mindwell/.rotor/journal/db-password.dev.json";
    private AzureDouble azure;
    private Store store;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() {
        azure = new AzureDouble();
        azure.container("rotor-state");
        store = BlobStoreContractTest.open(azure, new ProviderContext.Resends(), progress::add);
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void theJournalIsCreatedOnlyIfAbsentAndReplacedOnlyFromTheETagItWasReadAt() {
        Address journal = store.journalAddress("db-password.dev");
        assertEquals("mindwell/.rotor/journal/db-password.dev.json", "mindwell/" + journal.name());
        String created = store.writeIfVersion(journal, "{\"lease\":\"run-1\"}", null).version();
        LoggedRequest create = azure.requests("PUT", JOURNAL).get(0);
        assertEquals("*", create.getHeader("If-None-Match"));
        assertEquals("BlockBlob", create.getHeader("x-ms-blob-type"));
        assertEquals("Bearer " + AzureDouble.TOKEN, create.getHeader("Authorization"));
        assertEquals(azure.blob("rotor-state", "mindwell/.rotor/journal/db-password.dev.json").orElseThrow().etag(), created);

        StoreException again = assertThrows(StoreException.class, () -> store.writeIfVersion(journal, "{\"lease\":\"run-2\"}", null));
        assertEquals(StoreException.Kind.CONFLICT, again.kind());
        assertEquals("store 'journal' (azure-blob): Azure refused to write blob mindwell/.rotor/journal/db-password.dev.json "
                + "because it changed meanwhile (409 BlobAlreadyExists)", again.getMessage());

        String next = store.writeIfVersion(journal, "{\"lease\":\"run-1\",\"step\":\"owner\"}", created).version();
        assertEquals(created, azure.requests("PUT", JOURNAL).get(2).getHeader("If-Match"));
        StoreException stale = assertThrows(StoreException.class, () -> store.writeIfVersion(journal, "{\"lease\":\"run-2\"}", created));
        assertEquals("store 'journal' (azure-blob): Azure refused to write blob mindwell/.rotor/journal/db-password.dev.json "
                + "because it changed meanwhile (412 ConditionNotMet)", stale.getMessage());
        Stored held = store.read(journal).orElseThrow();
        assertEquals("{\"lease\":\"run-1\",\"step\":\"owner\"}", held.value());
        assertEquals(next, held.version());
    }

    @Test
    void statusReadsLastModifiedFromAHeadAndAnAbsentBlobIsEmpty() {
        Address target = Address.of("keys/postgres-admin-password");
        assertTrue(store.read(target).isEmpty());
        assertTrue(store.updatedAt(target).isEmpty());
        store.write(target, "value");
        Instant modified = store.updatedAt(target).orElseThrow();
        assertTrue(Duration.between(modified, Instant.now()).abs().getSeconds() < 5, modified.toString());
        assertEquals(2, azure.requests("HEAD", "/" + AzureDouble.ACCOUNT + "/rotor-state/mindwell/keys/postgres-admin-password").size());
    }

    @Test
    void aMissingContainerAndAMissingRoleAreOneLineEach() {
        Store other = new BlobProvider(BlobStoreContractTest.FAST).openStore("journal", java.util.Map.of("url", azure.blobUrl(),
                "container", "absent", "ca-bundle", AzureDouble.caBundle().toString()), new ProviderContext(azure.env(),
                java.nio.file.Path.of("."), java.time.Clock.systemUTC(), line -> { }));
        StoreException missing = assertThrows(StoreException.class, () -> other.preflight(List.of(Address.of("x"))));
        assertEquals("store 'journal' (azure-blob): container 'absent' does not exist (404 ContainerNotFound)", missing.getMessage());

        azure.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + AzureDouble.ACCOUNT + "/.*")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(403)
                        .withHeader("x-ms-error-code", "AuthorizationPermissionMismatch").withHeader("Content-Type", "application/xml")
                        .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code>"
                                + "<Message>This request is not authorized to perform this operation using this permission.</Message></Error>")));
        StoreException denied = assertThrows(StoreException.class, () -> store.write(Address.of("k"), "value-403"));
        assertEquals(StoreException.Kind.PERMISSION, denied.kind());
        assertEquals("store 'journal' (azure-blob): Azure refused to write blob mindwell/k (403 AuthorizationPermissionMismatch)",
                denied.getMessage());
        assertEquals("grant the identity Rotor runs as the Storage Blob Data Contributor role on the container "
                + "(Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write)", denied.suggestion());
    }

    @Test
    void a503ForeverIsBoundedAndAnnouncedByTheSdkPolicy() {
        azure.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + AzureDouble.ACCOUNT + "/.*")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)
                        .withHeader("x-ms-error-code", "ServerBusy").withHeader("Content-Type", "application/xml")
                        .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>"
                                + "<Message>The server is currently unable to receive requests. Please retry your request.</Message></Error>")));
        StoreException e = assertThrows(StoreException.class, () -> store.read(Address.of("k")));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertEquals("store 'journal' (azure-blob): Azure answered 503 to read blob mindwell/k 4 times (503 ServerBusy)",
                e.getMessage());
        assertEquals(4, azure.requests("GET", "/" + AzureDouble.ACCOUNT + "/rotor-state/mindwell/k").size());
        assertEquals(3, progress.size(), progress.toString());
        assertTrue(progress.get(0).startsWith("store 'journal' (azure-blob): GET /" + AzureDouble.ACCOUNT
                + "/rotor-state/mindwell/k answered 503, retry 1/3 in "), progress.get(0));
    }
}
