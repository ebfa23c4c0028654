package dev.rotor.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;

import dev.rotor.engine.StepHook;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;

/** The kubernetes store through the CLI: validate at file:line:col, and a JWT key set rotated into a mock-served Secret. */
class KubernetesCliTest {
    @TempDir
    Path dir;

    @Test
    void validateReportsAMissingSecretAndABadRestartAtTheirPositions() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                stores:
                  k8s: { type: kubernetes, server: "https://10.0.0.1:6443", token: "${env:K8S_TOKEN}", namespace: apps }
                  es: { type: external-secrets, namespace: apps, api-version: v2 }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    targets:
                      - { store: k8s, name: api-token }
                      - { store: k8s, secret: backend-env, name: API_TOKEN, restart: pod/backend }
                      - { store: k8s, secret: backend-env, name: OTHER, restart: [deployment/backend, deployment/Bad_Name] }
                      - { store: es, name: demo/prod/api-token }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        String restartHint = " (e.g. restart: deployment/backend, or restart: [deployment/api, statefulset/worker] "
                + "(see docs/kubernetes.md))";
        assertEquals(List.of(
                "4:63: error: stores.es.api-version: api-version must be external-secrets.io/v1beta1 or "
                        + "external-secrets.io/v1 (the version the cluster's External Secrets Operator serves) (see "
                        + "docs/external-secrets.md for the settings of an external-secrets store)",
                "9:9: error: secrets.api-token.targets[0].secret: missing key 'secret' for a target of a kubernetes "
                        + "store (add 'secret:')",
                "10:70: error: secrets.api-token.targets[1].restart: restart must be deployment/NAME, statefulset/NAME "
                        + "or daemonset/NAME, or a list of them, not 'pod/backend'" + restartHint,
                "11:66: error: secrets.api-token.targets[2].restart: 'Bad_Name' in restart is not a deployment name "
                        + "(lower-case letters, digits, '-' and '.')" + restartHint,
                "12:9: error: secrets.api-token.targets[3].external-secret: missing key 'external-secret' for a target "
                        + "of a external-secrets store (add 'external-secret:')"),
                errors, r.err());
    }

    @Test
    void aJwtKeySetRotatesIntoASecretKeepingItsNeighboursAndRestartsTheDeploymentOncePerRun() throws Exception {
        try (KubeMock mock = new KubeMock("apps")) {
            mock.client().secrets().inNamespace("apps").resource(new SecretBuilder().withNewMetadata()
                    .withName("jwt-keys").withLabels(Map.of("app", "backend")).endMetadata().withType("Opaque")
                    .withData(Map.of("issuer", b64("https://auth.example.com"))).build()).create();
            backend(mock);
            Files.writeString(dir.resolve("rotation.yml"), """
                    version: 1
                    stores:
                      k8s: { type: kubernetes, server: "%s", token: "${env:K8S_TOKEN}", namespace: apps, rollout-timeout: 20s }
                    secrets:
                      jwt-signing:
                        generate: { type: jwt-hmac }
                        strategy: keyset
                        key-id: "jwt-secret-v{n}"
                        grace: 15m
                        journal: k8s
                        targets:
                          - { store: k8s, secret: jwt-keys, name: "${secret.kid}", restart: deployment/backend }
                          - { store: k8s, secret: jwt-keys, name: active-key, value: "${secret.kid}", restart: deployment/backend }
                    """.formatted(mock.url()));
            MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
            Map<String, String> env = Map.of("K8S_TOKEN", KubeMock.TOKEN);
            String patch = "PATCH /apis/apps/v1/namespaces/apps/deployments/backend";

            RotorRunner.Result first;
            try (FakeController controller = FakeController.rollsOut(mock.client(), "apps", "backend")) {
                first = RotorRunner.run(env, clock, StepHook.NONE, "rotate", "-m", dir.resolve("rotation.yml").toString());
            }
            assertEquals(0, first.exit(), first.all());
            Map<String, String> keys = decoded(mock, "jwt-keys");
            assertEquals(List.of("active-key", "issuer", "jwt-secret-v1"), List.copyOf(keys.keySet()));
            assertEquals("jwt-secret-v1", keys.get("active-key"));
            assertEquals("https://auth.example.com", keys.get("issuer"));
            String v1 = keys.get("jwt-secret-v1");
            assertTrue(v1.length() >= 32, "a key");
            assertFalse(first.all().contains(v1), "no key in any output");
            assertFalse(first.all().contains(KubeMock.TOKEN));
            assertEquals(Map.of("app", "backend"), secret(mock, "jwt-keys").getMetadata().getLabels());
            assertEquals(1, mock.count(patch), "two keys changed, one restart: " + mock.requests());
            assertTrue(first.all().contains("deployment/backend rolled out"), first.all());
            assertEquals(v1, new ObjectMapper().readTree(decoded(mock, "rotor-journal.jwt-signing").get("journal"))
                    .path("current").asText(), "journaled in its own Secret");

            clock.advance(java.time.Duration.ofMinutes(1));
            RotorRunner.Result second;
            try (FakeController controller = FakeController.rollsOut(mock.client(), "apps", "backend")) {
                second = RotorRunner.run(env, clock, StepHook.NONE, "rotate", "-m", dir.resolve("rotation.yml").toString());
            }
            assertEquals(0, second.exit(), second.all());
            keys = decoded(mock, "jwt-keys");
            assertEquals(List.of("active-key", "issuer", "jwt-secret-v1", "jwt-secret-v2"), List.copyOf(keys.keySet()));
            assertEquals("jwt-secret-v2", keys.get("active-key"));
            assertEquals(v1, keys.get("jwt-secret-v1"), "the previous version is kept for its grace");
            assertEquals(2, mock.count(patch), "one restart per run: " + mock.requests());
        }
    }

    private static void backend(KubeMock mock) {
        Deployment created = mock.client().apps().deployments().inNamespace("apps").resource(new DeploymentBuilder()
                .withNewMetadata().withName("backend").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "backend")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "backend")).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("backend:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        mock.client().apps().deployments().inNamespace("apps").resource(new DeploymentBuilder(created)
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(created.getMetadata().getGeneration())
                        .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build())
                .build()).updateStatus();
    }

    private static Secret secret(KubeMock mock, String name) {
        return mock.client().secrets().inNamespace("apps").withName(name).get();
    }

    private static Map<String, String> decoded(KubeMock mock, String name) {
        Map<String, String> out = new TreeMap<>();
        secret(mock, name).getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v),
                StandardCharsets.UTF_8)));
        return out;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
