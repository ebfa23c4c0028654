package dev.rotor.store.kubernetes;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stands in for the Deployment controller, which the CRUD mock does not run: once a Deployment's pod template
 * carries kubectl's restartedAt annotation, it reports the rollout after a short delay, complete or stalled with
 * one replica not ready. Runs on its own thread until closed.
 */
public final class FakeController implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger reports = new AtomicInteger();

    private FakeController(KubernetesClient client, String namespace, String name, boolean stall) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(150);
                    var deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
                    Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
                    long generation = deployment.getMetadata().getGeneration();
                    if (annotations != null && annotations.containsKey(Rollouts.RESTARTED_AT)
                            && deployment.getStatus().getObservedGeneration() < generation) {
                        int replicas = deployment.getSpec().getReplicas();
                        int ready = stall ? replicas - 1 : replicas;
                        DeploymentStatus status = new DeploymentStatusBuilder().withObservedGeneration(generation)
                                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(ready)
                                .withAvailableReplicas(ready).build();
                        client.apps().deployments().inNamespace(namespace).resource(
                                new DeploymentBuilder(deployment).withStatus(status).build()).updateStatus();
                        reports.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a conflict with Rotor's patch: look again on the next tick
                }
            }
        }, "fake-deployment-controller");
        thread.setDaemon(true);
        thread.start();
    }

    public static FakeController rollsOut(KubernetesClient client, String namespace, String name) {
        return new FakeController(client, namespace, name, false);
    }

    static FakeController stalls(KubernetesClient client, String namespace, String name) {
        return new FakeController(client, namespace, name, true);
    }

    /** How many times it reported a rollout. */
    public int reports() {
        return reports.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5000);
    }
}
