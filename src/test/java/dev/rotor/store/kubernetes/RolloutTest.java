package dev.rotor.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;

/** {@code restart:} as kubectl rollout restart and rollout status, against the CRUD mock and a stand-in controller. */
class RolloutTest {
    private static final String BACKEND = "/apis/apps/v1/namespaces/apps/deployments/backend";
    private KubeMock mock;

    @BeforeEach
    void start() {
        mock = new KubeMock("apps");
        Deployment created = mock.client().apps().deployments().inNamespace("apps").resource(new DeploymentBuilder()
                .withNewMetadata().withName("backend").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(Map.of("app", "backend")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "backend")).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("backend:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        mock.client().apps().deployments().inNamespace("apps").resource(new DeploymentBuilder(created)
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(created.getMetadata().getGeneration())
                        .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).build())
                .build()).updateStatus();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private Deployment backend() {
        return mock.client().apps().deployments().inNamespace("apps").withName("backend").get();
    }

    private static Address restarting(String key, Object restart) {
        return new Address(key, Map.of("secret", "jwt-keys", "restart", restart));
    }

    @Test
    void twoChangedKeysRestartTheDeploymentOnceAndItsRolloutIsAwaited() throws Exception {
        Store store = mock.open("apps", Map.of("rollout-timeout", "20s"));
        long generation = backend().getMetadata().getGeneration();
        Instant before = Instant.now().minusSeconds(1);
        store.write(restarting("jwt-secret-v2", "deployment/backend"), "key-material");
        store.write(restarting("active-key", List.of("deploy/backend")), "jwt-secret-v2");
        try (FakeController controller = FakeController.rollsOut(mock.client(), "apps", "backend")) {
            store.restart(List.of(restarting("jwt-secret-v2", "deployment/backend"),
                    restarting("active-key", List.of("deploy/backend")), new Address("other", Map.of("secret", "x"))));
            assertEquals(1, controller.reports(), "restart returned only once the controller reported the rollout");
        }
        assertEquals(1, mock.count("PATCH " + BACKEND), "one restart for two keys: " + mock.requests());
        Deployment after = backend();
        Instant restartedAt = Instant.parse(after.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Rollouts.RESTARTED_AT));
        assertTrue(!restartedAt.isBefore(before), restartedAt.toString());
        assertTrue(after.getMetadata().getGeneration() > generation, "the template change is a new generation");
        assertTrue(mock.progress().contains("store 'k8s' (kubernetes): deployment/backend rolled out"), mock.progress().toString());
    }

    @Test
    void aStalledRolloutFailsAfterTheTimeoutNamingTheDeploymentAndWhatIsMissing() throws Exception {
        Store store = mock.open("apps", Map.of("rollout-timeout", "2s"));
        long started = System.nanoTime();
        StoreException stalled;
        try (FakeController controller = FakeController.stalls(mock.client(), "apps", "backend")) {
            stalled = assertThrows(StoreException.class,
                    () -> store.restart(List.of(restarting("active-key", "deployment/backend"))));
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) >= 0);
        assertEquals(StoreException.Kind.FAILED, stalled.kind());
        assertEquals("store 'k8s' (kubernetes): deployment/backend in namespace apps did not finish its rollout within "
                + "2s: 1 of 2 replicas ready, 1 of 2 replicas available", stalled.getMessage());
        assertTrue(stalled.suggestion().startsWith("see kubectl rollout status deployment/backend -n apps"),
                stalled.suggestion());
    }

    @Test
    void aMissingWorkloadIsNamedByPreflightAndAnOnDeleteStatefulSetIsRefusedBeforeAnyPatch() {
        Store store = mock.open("apps", Map.of());
        StoreException missing = assertThrows(StoreException.class,
                () -> store.preflight(List.of(restarting("active-key", "daemonset/agent"))));
        assertEquals("store 'k8s' (kubernetes): daemonset/agent does not exist in namespace apps (named by restart:)",
                missing.getMessage());

        mock.client().apps().statefulSets().inNamespace("apps").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("db").endMetadata().withNewSpec().withReplicas(1).withNewUpdateStrategy().withType("OnDelete")
                .endUpdateStrategy().endSpec().build()).create();
        StoreException onDelete = assertThrows(StoreException.class,
                () -> store.restart(List.of(restarting("active-key", List.of("deployment/backend", "sts/db")))));
        assertEquals("store 'k8s' (kubernetes): statefulset/db in namespace apps has updateStrategy OnDelete: a restart "
                + "would roll no pod", onDelete.getMessage());
        assertEquals(0, mock.requests().stream().filter(r -> r.startsWith("PATCH")).count(), mock.requests().toString());
    }

    @Test
    void rolloutStatusFollowsKubectlForEachKind() {
        Workload sts = new Workload(Workload.Kind.STATEFULSET, "db");
        var object = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        object.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withGeneration(3L).build());
        object.setAdditionalProperty("spec", Map.of("replicas", 3));
        object.setAdditionalProperty("status", Map.of("observedGeneration", 2));
        assertEquals("the controller has not observed generation 3 yet (observedGeneration 2)", Rollouts.missing(sts, object));
        object.setAdditionalProperty("status", Map.of("observedGeneration", 3, "updatedReplicas", 3, "readyReplicas", 3,
                "availableReplicas", 3, "currentRevision", "db-1", "updateRevision", "db-2"));
        assertEquals("pods still on revision db-1, not db-2", Rollouts.missing(sts, object));
        object.setAdditionalProperty("status", Map.of("observedGeneration", 3, "updatedReplicas", 3, "readyReplicas", 3,
                "availableReplicas", 3, "currentRevision", "db-2", "updateRevision", "db-2"));
        assertEquals(null, Rollouts.missing(sts, object));

        Workload ds = new Workload(Workload.Kind.DAEMONSET, "agent");
        object.setAdditionalProperty("spec", Map.of());
        object.setAdditionalProperty("status", Map.of("observedGeneration", 3, "desiredNumberScheduled", 4,
                "updatedNumberScheduled", 2, "numberReady", 4, "numberAvailable", 3));
        assertEquals("2 of 4 replicas updated, 3 of 4 replicas available", Rollouts.missing(ds, object));
    }
}
