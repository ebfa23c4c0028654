package dev.rotor.store.externalsecrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import dev.rotor.http.Time;
import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.kubernetes.KubeMock;

/** The ExternalSecret is annotated with force-sync and awaited until its status shows a newer, Ready sync. */
class ExternalSecretsStoreTest {
    private static final String OLD_SYNC = "2026-01-01T00:00:00Z";
    private KubeMock mock;

    @BeforeEach
    void start() {
        mock = new KubeMock("apps");
        GenericKubernetesResource es = new GenericKubernetesResource();
        es.setApiVersion("external-secrets.io/v1beta1");
        es.setKind("ExternalSecret");
        es.setMetadata(new ObjectMetaBuilder().withName("backend-jwt").withNamespace("apps").build());
        es.setAdditionalProperty("spec", Map.of("refreshInterval", "1h", "target", Map.of("name", "jwt-keys")));
        es.setAdditionalProperty("status", status(OLD_SYNC, "1-aaaa"));
        externalSecret().resource(es).create();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private static Map<String, Object> status(String refreshTime, String synced) {
        return Map.of("refreshTime", refreshTime, "syncedResourceVersion", synced, "conditions", List.of(Map.of(
                "type", "Ready", "status", "True", "reason", "SecretSynced", "message", "Secret was synced")));
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, Resource<GenericKubernetesResource>> externalSecret() {
        return mock.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("external-secrets.io").withVersion("v1beta1").withPlural("externalsecrets")
                .withKind("ExternalSecret").withNamespaced(true).build()).inNamespace("apps");
    }

    private Store open(String timeout) {
        Map<String, Object> settings = new LinkedHashMap<>(mock.settings("apps"));
        settings.put("sync-timeout", timeout);
        return new ExternalSecretsProvider(Time.SYSTEM).openStore("es", settings, mock.context());
    }

    private static Address target() {
        return new Address("demo/prod/jwt", Map.of("external-secret", "backend-jwt"));
    }

    /** Stands in for the operator: after force-sync changes, it syncs after a short delay and says so in the status. */
    private Thread operator(AtomicBoolean running, AtomicInteger syncs) {
        Thread thread = new Thread(() -> {
            String seen = null;
            while (running.get()) {
                try {
                    Thread.sleep(200);
                    GenericKubernetesResource es = externalSecret().withName("backend-jwt").get();
                    Map<String, String> annotations = es.getMetadata().getAnnotations();
                    String force = annotations == null ? null : annotations.get("force-sync");
                    if (force != null && !force.equals(seen)) {
                        es.setAdditionalProperty("status", status(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                                "2-" + force));
                        externalSecret().resource(es).updateStatus();
                        seen = force;
                        syncs.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a conflict with Rotor's patch: look again on the next tick
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void theExternalSecretIsAnnotatedWithForceSyncAndAwaitedUntilItsStatusShowsTheSync() throws Exception {
        Store store = open("20s");
        store.preflight(List.of(target()));
        assertFalse(store.write(target(), "the-value-in-the-cloud-store").changed(), "it holds no value");
        long before = Instant.now().getEpochSecond();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger syncs = new AtomicInteger();
        Thread operator = operator(running, syncs);
        try {
            store.restart(List.of(target(), new Address("demo/prod/jwt-2", Map.of("external-secret", "backend-jwt"))));
            assertEquals(1, syncs.get(), "restart returned once the operator had synced, asked once for two targets");
        } finally {
            running.set(false);
            operator.interrupt();
            operator.join(5000);
        }
        GenericKubernetesResource es = externalSecret().withName("backend-jwt").get();
        long forced = Long.parseLong(es.getMetadata().getAnnotations().get("force-sync"));
        assertTrue(forced >= before && forced <= Instant.now().getEpochSecond(), String.valueOf(forced));
        assertEquals(1, mock.count("PATCH /apis/external-secrets.io/v1beta1/namespaces/apps/externalsecrets/backend-jwt"));
        assertTrue(mock.progress().contains("store 'es' (external-secrets): ExternalSecret backend-jwt synced"),
                mock.progress().toString());
    }

    @Test
    void anExternalSecretThatDoesNotSyncFailsAfterTheTimeoutNamingIt() {
        Store store = open("1s");
        StoreException stalled = assertThrows(StoreException.class, () -> store.restart(List.of(target())));
        assertEquals(StoreException.Kind.FAILED, stalled.kind());
        assertEquals("store 'es' (external-secrets): ExternalSecret backend-jwt in namespace apps did not sync within 1s "
                + "of force-sync: its status shows no sync since it was asked (refreshTime " + OLD_SYNC + "); Ready is "
                + "True (SecretSynced)", stalled.getMessage());
        assertTrue(stalled.suggestion().startsWith("see kubectl describe externalsecret backend-jwt -n apps"));
    }

    @Test
    void aMissingExternalSecretIsNamedByPreflight() {
        Store store = open("1s");
        StoreException missing = assertThrows(StoreException.class, () -> store.preflight(List.of(
                new Address("x", Map.of("external-secret", "absent")))));
        assertEquals(StoreException.Kind.NOT_FOUND, missing.kind());
        assertEquals("store 'es' (external-secrets): ExternalSecret absent does not exist in namespace apps "
                + "(external-secrets.io/v1beta1)", missing.getMessage());
    }
}
