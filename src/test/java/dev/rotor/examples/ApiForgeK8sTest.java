package dev.rotor.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.store.kubernetes.FakeController;
import dev.rotor.store.kubernetes.KubeMock;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * api-forge's `deploy rotate k8s` (examples/manifests/api-forge-k8s.yml) through the CLI against fabric8's CRUD mock
 * holding the chart's Secrets and Deployments, with a stand-in controller per Deployment: every key gets its new value
 * (the OAuth client secrets the ones the environment provides), the keys Rotor does not own are kept, and each
 * Deployment is restarted, and rolled out, once per secret that it mounts.
 */
class ApiForgeK8sTest {
    private static final String NS = "api-forge-prod";
    private static final Map<String, String> OIDC = Map.of("OIDC_GOOGLE_CLIENT_SECRET", "google-secret-from-console",
            "OIDC_MICROSOFT_CLIENT_SECRET", "microsoft-secret-from-console",
            "OIDC_KEYCLOAK_CLIENT_SECRET", "keycloak-secret-from-console");

    /** Each secret of the manifest: the key it writes, in which Secret, and what restarts after it. */
    private record Copy(String unit, String key, String secret, String restart) {
    }

    private static final List<Copy> COPIES = List.of(
            new Copy("postgres-password", "postgres_password", "postgres-secrets", "deployment/postgres"),
            new Copy("postgres-app-user-password", "postgres_app_user_pw", "postgres-secrets",
                    "[deployment/postgres, deployment/app]"),
            new Copy("postgres-app-ro-password", "postgres_app_ro_pw", "postgres-secrets", "deployment/postgres"),
            new Copy("postgres-app-owner-password", "postgres_app_owner_pw", "postgres-secrets", "deployment/postgres"),
            new Copy("postgres-temporal-password", "postgres_temporal_pw", "postgres-secrets",
                    "[deployment/postgres, deployment/temporal]"),
            new Copy("redis-password", "redis_password", "redis-secrets", "[deployment/redis, deployment/app]"),
            new Copy("session-signing-secret", "session_signing_secret", "app-secrets", "deployment/app"),
            new Copy("csrf-signing-secret", "csrf_signing_secret", "app-secrets", "deployment/app"),
            new Copy("oidc-google-client-secret", "oidc_google_client_secret", "app-secrets", "deployment/app"),
            new Copy("oidc-microsoft-client-secret", "oidc_microsoft_client_secret", "app-secrets", "deployment/app"),
            new Copy("oidc-keycloak-client-secret", "oidc_keycloak_client_secret", "app-secrets", "deployment/app"));

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final Map<String, FakeController> controllers = new LinkedHashMap<>();
    private KubeMock mock;
    private Path manifest;

    @BeforeEach
    void theChartAsInstalled() throws Exception {
        mock = new KubeMock(NS);
        Examples.secret(mock, NS, "postgres-secrets", Map.of("postgres_password", "old-postgres",
                "postgres_app_user_pw", "old-app-user", "postgres_app_ro_pw", "old-app-ro",
                "postgres_app_owner_pw", "old-app-owner", "postgres_temporal_pw", "old-temporal",
                "temporal_user", "temporaluser"));
        Examples.secret(mock, NS, "redis-secrets", Map.of("redis_password", "old-redis"));
        Examples.secret(mock, NS, "app-secrets", Map.of("session_signing_secret", "old-session",
                "csrf_signing_secret", "old-csrf", "oidc_google_client_secret", "old-google",
                "oidc_microsoft_client_secret", "old-microsoft", "oidc_keycloak_client_secret", "old-keycloak"));
        for (String deployment : List.of("postgres", "app", "redis", "temporal")) {
            Examples.rolledOutDeployment(mock, NS, deployment);
            controllers.put(deployment, FakeController.rollsOut(mock.client(), NS, deployment));
        }
        manifest = Examples.copy("api-forge-k8s.yml", dir, root -> ((ObjectNode) root.path("stores").path("k8s"))
                .put("server", mock.url()).put("token", "${env:K8S_TOKEN}"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (FakeController controller : controllers.values()) {
            controller.close();
        }
        mock.close();
    }

    @Test
    void everyKeyGetsItsNewValueAndEachDeploymentRestartsOncePerSecretItMounts() {
        Map<String, String> env = new LinkedHashMap<>(OIDC);
        env.put("K8S_TOKEN", KubeMock.TOKEN);
        RotorRunner.Result plan = RotorRunner.run(env, "plan", "--manifest", manifest.toString());
        assertEquals(0, plan.exit(), plan.all());
        List<String> planned = new ArrayList<>();
        for (Copy copy : COPIES) {
            planned.add(copy.unit() + ": generate -> 1 target, 0 checks; journal k8s:journal");
            planned.add("  would write k8s:" + copy.key() + " {restart=" + copy.restart() + ", secret=" + copy.secret()
                    + "}");
        }
        planned.add("summary: planned 11");
        assertEquals(planned, plan.out().lines().toList());
        List<String> args = new ArrayList<>(List.of("rotate", "--manifest", manifest.toString()));
        // A second of the run's clock passes with each step, as a rollout takes seconds in a cluster.
        RotorRunner.Result rotated = RotorRunner.run(env, clock, (unit, step) -> clock.advance(Duration.ofSeconds(1)),
                args.toArray(String[]::new));
        assertEquals(0, rotated.exit(), rotated.all());
        List<String> expected = new ArrayList<>(COPIES.stream().map(c -> c.unit() + ": rotated; targets: 1 written")
                .toList());
        expected.add("summary: rotated 11");
        assertEquals(expected, rotated.out().lines().toList());

        Map<String, String> postgres = Examples.keys(mock, NS, "postgres-secrets");
        assertEquals(List.of("postgres_app_owner_pw", "postgres_app_ro_pw", "postgres_app_user_pw", "postgres_password",
                "postgres_temporal_pw", "temporal_user"), List.copyOf(postgres.keySet()));
        assertEquals("temporaluser", postgres.get("temporal_user"), "a key Rotor does not own is kept");
        Map<String, String> redis = Examples.keys(mock, NS, "redis-secrets");
        Map<String, String> app = Examples.keys(mock, NS, "app-secrets");
        List<String> passwords = List.of(postgres.get("postgres_password"), postgres.get("postgres_app_user_pw"),
                postgres.get("postgres_app_ro_pw"), postgres.get("postgres_app_owner_pw"),
                postgres.get("postgres_temporal_pw"), redis.get("redis_password"));
        for (String password : passwords) {
            assertEquals(32, password.length());
            assertFalse(password.startsWith("old-"), "a new value");
        }
        assertEquals(passwords.size(), passwords.stream().distinct().count(), "each password its own");
        assertTrue(app.get("session_signing_secret").matches("[A-Za-z0-9+/]{64}"), "openssl rand -base64 48");
        assertTrue(app.get("csrf_signing_secret").matches("[0-9a-f]{64}"), "32 bytes as hex");
        assertEquals(Map.of("csrf_signing_secret", app.get("csrf_signing_secret"),
                "oidc_google_client_secret", "google-secret-from-console",
                "oidc_keycloak_client_secret", "keycloak-secret-from-console",
                "oidc_microsoft_client_secret", "microsoft-secret-from-console",
                "session_signing_secret", app.get("session_signing_secret")), app, "the OAuth secrets from the environment");
        assertNotEquals("old-session", app.get("session_signing_secret"));

        Map<String, Long> restarts = new LinkedHashMap<>();
        Map<String, Integer> rollouts = new LinkedHashMap<>();
        controllers.forEach((name, controller) -> {
            restarts.put(name, Examples.restarts(mock, NS, name));
            rollouts.put(name, controller.reports());
        });
        assertEquals(Map.of("postgres", 5L, "app", 7L, "redis", 1L, "temporal", 1L), restarts,
                "once per secret each mounts: " + mock.requests());
        assertEquals(Map.of("postgres", 5, "app", 7, "redis", 1, "temporal", 1), rollouts, "each restart rolled out");
        for (String value : List.of(app.get("session_signing_secret"), app.get("csrf_signing_secret"),
                "google-secret-from-console", passwords.get(0), passwords.get(5))) {
            assertFalse(rotated.all().contains(value), "no value in any output");
        }
    }
}
