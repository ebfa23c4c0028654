package dev.rotor.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.engine.StepHook;
import dev.rotor.store.awssecretsmanager.SecretsManagerDouble;
import dev.rotor.store.kubernetes.FakeController;
import dev.rotor.store.kubernetes.KubeMock;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.store.redis.EmbeddedRedis;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo-platform runbook on Kubernetes (examples/manifests/platform-k8s.yml) end to end through the CLI: the
 * Secrets, the backend Deployment and the ExternalSecret in fabric8's CRUD mock with stand-ins for the Deployment
 * controller and the External Secrets Operator, AWS Secrets Manager through its double, the users on the real
 * PostgreSQL and Redis. What the test compares (privileges, ACL rules, keys, restarts) it reads itself.
 */
class PlatformK8sTest {
    private static final String NS = "default";
    private static final String PG_PASS_0 = "backend-pg-password-before";
    private static final String REDIS_PASS_0 = "backend-redis-password-before";
    private static final String JWT_V1 = "jwt-secret-v1-issued-before-rotor";
    private static final String AWS_NAME = "demo-platform/prod/internal-api-token";
    private static final String OLD_SYNC = "2026-01-01T00:00:00Z";

    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final EmbeddedServer postgres = EmbeddedServer.get();
    private KubeMock mock;
    private SecretsManagerDouble aws;
    private FakeController deploymentController;
    private ExternalSecretsOperator operator;
    private Path manifest;

    @BeforeEach
    void theClusterBeforeTheRunbook() throws Exception {
        Examples.demoPlatformUsers(postgres, redis, PG_PASS_0, REDIS_PASS_0);
        mock = new KubeMock(NS);
        aws = new SecretsManagerDouble();
        Examples.secret(mock, NS, "postgresql-credentials", Map.of("username", "backend", "password", PG_PASS_0,
                "database", "demo-platform"));
        Examples.secret(mock, NS, "redis-credentials", Map.of("username", "backend", "password", REDIS_PASS_0,
                "url", "redis://redis-master.default.svc:6379/0"));
        Examples.secret(mock, NS, "jwt-keys", Map.of("jwt-secret-v1", JWT_V1, "active-key", "jwt-secret-v1"));
        Examples.rolledOutDeployment(mock, NS, "backend");
        externalSecrets().resource(externalSecret()).create();
        deploymentController = FakeController.rollsOut(mock.client(), NS, "backend");
        operator = new ExternalSecretsOperator();
        manifest = Examples.copy("platform-k8s.yml", dir, root -> {
            ObjectNode vars = (ObjectNode) root.path("environments").path("prod").path("vars");
            vars.put("pg-port", String.valueOf(postgres.port()));
            vars.put("pg-database", "postgres");
            vars.put("redis-host", "127.0.0.1");
            vars.put("redis-port", String.valueOf(redis.port));
            ObjectNode stores = (ObjectNode) root.path("stores");
            for (String cluster : List.of("k8s", "eso")) {
                ((ObjectNode) stores.path(cluster)).put("server", mock.url()).put("token", "${env:K8S_TOKEN}");
            }
            ((ObjectNode) stores.path("aws")).put("endpoint", aws.endpoint());
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        operator.close();
        deploymentController.close();
        aws.close();
        mock.close();
        Examples.dropDemoPlatform(postgres);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(SecretsManagerDouble.credentials());
        env.putAll(Map.of("K8S_TOKEN", KubeMock.TOKEN, "PG_ADMIN_PASSWORD", EmbeddedServer.ADMIN_PASSWORD,
                "REDIS_ADMIN_PASSWORD", EmbeddedRedis.ADMIN_PASSWORD));
        return env;
    }

    /** A run in which a second of the run's clock passes with each step, as a rollout takes seconds in a cluster. */
    private RotorRunner.Result rotor(String... args) {
        return rotor((unit, step) -> clock.advance(Duration.ofSeconds(1)), args);
    }

    private RotorRunner.Result rotor(StepHook hook, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", manifest.toString()));
        return RotorRunner.run(env(), clock, hook, full.toArray(String[]::new));
    }

    private Map<String, String> keys(String secret) {
        return Examples.keys(mock, NS, secret);
    }

    @Test
    void theRunbookRotatesEverySecretIntoTheClusterAndAnEmergencyDropsTheOldJwtKeyInItsOwnRun() throws Exception {
        List<String> privileges = postgres.privileges("backend");
        Map<String, Object> rules = redis.rulesBesidePasswords("backend");
        assertTrue(privileges.contains("schema demo_platform USAGE grantable=f by demo_owner"), privileges.toString());
        assertEquals("-@all +subscribe", rules.get("commands"));

        RotorRunner.Result plan = rotor("plan");
        assertEquals(0, plan.exit(), plan.all());
        String backend = "{restart=deployment/backend, secret=";
        assertEquals(List.of(
                "postgresql-backend (prod): generate -> owner postgres -> 2 targets, 0 checks; journal k8s:journal",
                "  would write k8s:username " + backend + "postgresql-credentials} (derived)",
                "  would write k8s:password " + backend + "postgresql-credentials}",
                "  next username: backend_v2 (replacing backend, kept 10m after it)",
                "redis-backend (prod): generate -> owner redis -> 2 targets, 0 checks; journal k8s:journal",
                "  would write k8s:username " + backend + "redis-credentials} (derived)",
                "  would write k8s:password " + backend + "redis-credentials}",
                "  next username: backend_v2 (replacing backend, kept 10m after it)",
                "jwt-keys (prod): generate -> 2 targets, 0 checks; journal k8s:journal",
                "  would write k8s:{kid} " + backend + "jwt-keys}",
                "  would write k8s:active-key " + backend + "jwt-keys} (derived)",
                "internal-api-token (prod): generate -> 3 targets, 0 checks; journal "
                        + "aws:rotor-journal/internal-api-token.prod",
                "  would write aws:demo-platform/prod/internal-api-token",
                "  would write eso:demo-platform/prod/internal-api-token {external-secret=backend-internal-api}",
                "  would write k8s:INTERNAL_API_TOKEN_SOURCE " + backend + "backend-config} (derived)",
                "summary: planned 4"), plan.out().lines().filter(l -> !l.startsWith("  next kid: ")).toList(),
                "the key id line: planNamesTheKeyIdTheRotationWillUse");

        RotorRunner.Result rotated = rotor("rotate");
        assertEquals(0, rotated.exit(), rotated.all());
        assertEquals(List.of("postgresql-backend (prod): rotated; targets: 2 written",
                "redis-backend (prod): rotated; targets: 2 written",
                "jwt-keys (prod): rotated; targets: 2 written",
                "internal-api-token (prod): rotated; targets: 1 unchanged, 2 written",
                "summary: rotated 4"), rotated.out().lines().toList());

        // §1 and §2: backend_v2 with the same privileges and rules; the Secrets hold it, their other keys kept.
        Map<String, String> pg = keys("postgresql-credentials");
        Map<String, String> rd = keys("redis-credentials");
        assertEquals(List.of("database", "password", "username"), List.copyOf(pg.keySet()));
        assertEquals(List.of("password", "url", "username"), List.copyOf(rd.keySet()));
        assertEquals("backend_v2", pg.get("username"));
        assertEquals("backend_v2", rd.get("username"));
        assertEquals("demo-platform", pg.get("database"), "a neighbouring key is kept");
        assertEquals("redis://redis-master.default.svc:6379/0", rd.get("url"), "a neighbouring key is kept");
        assertTrue(pg.get("password").matches("[A-Za-z0-9+/]{43}="), "openssl rand -base64 32");
        assertTrue(rd.get("password").matches("[A-Za-z0-9+/]{43}="), "openssl rand -base64 32");
        assertEquals(privileges, postgres.privileges("backend_v2"), "the catalogs: the same privileges");
        assertEquals(rules, redis.rulesBesidePasswords("backend_v2"), "ACL GETUSER: the same rules");
        assertTrue(postgres.loginWorks("backend_v2", pg.get("password")));
        assertTrue(redis.loginWorks("backend_v2", rd.get("password")));
        assertTrue(postgres.loginWorks("backend", PG_PASS_0), "the old user works during the grace");
        assertTrue(redis.loginWorks("backend", REDIS_PASS_0), "the old user works during the grace");

        // §3: v2 beside the pre-existing v1, active-key switched.
        Map<String, String> jwt = keys("jwt-keys");
        assertEquals(List.of("active-key", "jwt-secret-v1", "jwt-secret-v2"), List.copyOf(jwt.keySet()));
        assertEquals("jwt-secret-v2", jwt.get("active-key"));
        assertEquals(JWT_V1, jwt.get("jwt-secret-v1"), "the key tokens in flight were signed with is kept");
        String v2 = jwt.get("jwt-secret-v2");
        assertTrue(v2.matches("[A-Za-z0-9+/]{86}=="), "openssl rand -base64 64");

        // §5: the value reached AWS, the ExternalSecret was force-synced after it, the synced Secret holds it.
        String token = aws.current(AWS_NAME).orElseThrow();
        assertEquals(40, token.length());
        assertEquals(1, operator.syncs.get(), "one force-sync");
        assertEquals(token, keys("backend-internal-api").get("INTERNAL_API_TOKEN"),
                "the operator synced after the cloud write, before the restart");
        GenericKubernetesResource es = externalSecrets().withName("backend-internal-api").get();
        assertTrue(es.getMetadata().getAnnotations().get("force-sync").matches("[0-9]{10}"), es.toString());
        assertEquals("aws-secrets-manager:demo-platform/prod/internal-api-token",
                keys("backend-config").get("INTERNAL_API_TOKEN_SOURCE"));

        assertEquals(4, Examples.restarts(mock, NS, "backend"), "once per unit that restarts it: " + mock.requests());
        assertEquals(4, deploymentController.reports(), "each restart rolled out");
        for (String value : List.of(pg.get("password"), rd.get("password"), v2, token, PG_PASS_0, JWT_V1)) {
            assertFalse(rotated.all().contains(value), "no value in any output");
        }

        // Inside the 15 minutes nothing is due and v1 stays.
        clock.advance(Duration.ofMinutes(5));
        RotorRunner.Result inGrace = rotor("rotate", "--only-due");
        assertEquals(0, inGrace.exit(), inGrace.all());
        assertEquals(JWT_V1, keys("jwt-keys").get("jwt-secret-v1"), "inside its grace");

        // §8: the JWT key is compromised.
        Path report = dir.resolve("report.json");
        RotorRunner.Result emergency = rotor("rotate", "--emergency", "--reason", "INC-3", "--secret", "jwt-keys",
                "--report", report.toString());
        assertEquals(0, emergency.exit(), emergency.all());
        jwt = keys("jwt-keys");
        assertEquals(List.of("active-key", "jwt-secret-v3"), List.copyOf(jwt.keySet()),
                "every replaced key deleted in this run: v2 and v1, whose grace had not ended");
        assertEquals("jwt-secret-v3", jwt.get("active-key"));
        assertNotEquals(v2, jwt.get("jwt-secret-v3"));
        assertEquals(5, Examples.restarts(mock, NS, "backend"), "the emergency rollout: " + mock.requests());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.path("emergency").asBoolean(), json.toString());
        assertEquals("INC-3", json.path("reason").asText(), json.toString());
        assertEquals(1, json.path("units").size(), json.toString());
        assertEquals("rotated", json.path("units").get(0).path("outcome").asText(), json.toString());
        assertTrue(emergency.err().lines().findFirst().orElseThrow().endsWith("(emergency: no grace; every replaced "
                + "user, password and key stops working in this run)"), emergency.err());
        assertEquals("backend_v2", keys("postgresql-credentials").get("username"), "only the JWT keys were rotated");
    }

    @Test
    void aKeyChangedByHandInAKubernetesSecretIsDriftAndThePrintedRepairPutsItBack() {
        assertEquals(0, rotor("rotate").exit());
        String password = keys("redis-credentials").get("password");
        RotorRunner.Result clean = rotor("status", "--drift");
        assertEquals(0, clean.exit(), clean.all());

        var secret = mock.client().secrets().inNamespace(NS).withName("redis-credentials").get();
        Map<String, String> data = new HashMap<>(secret.getData());
        data.put("password", Base64.getEncoder().encodeToString("edited-by-hand".getBytes(StandardCharsets.UTF_8)));
        mock.client().secrets().inNamespace(NS).resource(new SecretBuilder(secret).withData(data).build()).update();

        RotorRunner.Result drifted = rotor("status", "--drift");
        assertEquals(5, drifted.exit(), drifted.all());
        List<String> lines = drifted.out().lines().filter(l -> l.startsWith("  DRIFT ")).toList();
        assertEquals(1, lines.size(), drifted.out());
        assertTrue(lines.get(0).startsWith("  DRIFT k8s:password {restart=deployment/backend, "
                + "secret=redis-credentials}: differs from what Rotor wrote"), lines.get(0));
        assertFalse(drifted.all().contains("edited-by-hand") || drifted.all().contains(password), "no value shown");
        String repair = drifted.out().lines().filter(l -> l.startsWith("  repair: ")).findFirst().orElseThrow()
                .substring("  repair: ".length());
        assertTrue(repair.endsWith(" repair -m " + manifest + " --secret redis-backend --environment prod"), repair);

        String[] words = repair.substring(repair.indexOf(" repair ") + 1).split(" ");
        RotorRunner.Result repaired = RotorRunner.run(env(), clock, StepHook.NONE, words);
        assertEquals(0, repaired.exit(), repaired.all());
        assertEquals(password, keys("redis-credentials").get("password"), "the journaled value, not a new one");
        assertEquals("backend_v2", keys("redis-credentials").get("username"));
        assertTrue(redis.loginWorks("backend_v2", password));
        RotorRunner.Result after = rotor("status", "--drift");
        assertEquals(0, after.exit(), after.all());
    }

    /** The first rotation adopts the key id active-key holds (jwt-secret-v1) and makes v2: plan should say so. */
    @Test
    void planNamesTheKeyIdTheRotationWillUse() {
        RotorRunner.Result plan = rotor("plan", "--secret", "jwt-keys");
        assertEquals(0, plan.exit(), plan.all());
        assertEquals(List.of("  next kid: jwt-secret-v2 (replacing jwt-secret-v1, kept 15m after it)"),
                plan.out().lines().filter(l -> l.startsWith("  next kid: ")).toList());
        assertEquals(0, rotor("rotate", "--secret", "jwt-keys").exit());
        assertEquals("jwt-secret-v2", keys("jwt-keys").get("active-key"));
    }

    /**
     * kubectl's restartedAt holds the time to the second: two units of one run that restart the backend within the
     * same second of the run's clock patch the same value, the pod template does not change, no pod restarts, and
     * Rotor still reports "deployment/backend rolled out" for the second unit.
     */
    @Test
    void everyRestartOfARunRollsThePodsEvenWithinOneSecond() {
        RotorRunner.Result rotated = rotor(StepHook.NONE, "rotate");
        assertEquals(0, rotated.exit(), rotated.all());
        assertEquals(4, Examples.restarts(mock, NS, "backend"));
        assertEquals(4, deploymentController.reports(), "each restart changed the pod template and rolled out");
    }

    // ---- the External Secrets Operator's part

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> externalSecrets() {
        return mock.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("external-secrets.io").withVersion("v1beta1").withPlural("externalsecrets")
                .withKind("ExternalSecret").withNamespaced(true).build()).inNamespace(NS);
    }

    /** The ExternalSecret that copies the AWS secret into the Secret backend-internal-api, last synced long ago. */
    private static GenericKubernetesResource externalSecret() {
        GenericKubernetesResource es = new GenericKubernetesResource();
        es.setApiVersion("external-secrets.io/v1beta1");
        es.setKind("ExternalSecret");
        es.setMetadata(new ObjectMetaBuilder().withName("backend-internal-api").withNamespace(NS).build());
        es.setAdditionalProperty("spec", Map.of("refreshInterval", "5m",
                "secretStoreRef", Map.of("name", "aws-secrets-manager", "kind", "ClusterSecretStore"),
                "target", Map.of("name", "backend-internal-api"),
                "data", List.of(Map.of("secretKey", "INTERNAL_API_TOKEN", "remoteRef", Map.of("key", AWS_NAME)))));
        es.setAdditionalProperty("status", status(OLD_SYNC, "1-initial"));
        return es;
    }

    private static Map<String, Object> status(String refreshTime, String synced) {
        return Map.of("refreshTime", refreshTime, "syncedResourceVersion", synced, "conditions", List.of(Map.of(
                "type", "Ready", "status", "True", "reason", "SecretSynced", "message", "Secret was synced")));
    }

    /**
     * Stands in for the operator, which the CRUD mock does not run: when force-sync changes, it copies the AWS
     * secret's AWSCURRENT value into the target Secret and then reports the sync in the ExternalSecret's status.
     */
    private final class ExternalSecretsOperator implements AutoCloseable {
        final AtomicInteger syncs = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::reconcile, "fake-external-secrets-operator");

        ExternalSecretsOperator() {
            thread.setDaemon(true);
            thread.start();
        }

        private void reconcile() {
            String seen = null;
            while (running.get()) {
                try {
                    Thread.sleep(150);
                    GenericKubernetesResource es = externalSecrets().withName("backend-internal-api").get();
                    Map<String, String> annotations = es.getMetadata().getAnnotations();
                    String force = annotations == null ? null : annotations.get("force-sync");
                    if (force != null && !force.equals(seen)) {
                        String value = aws.current(AWS_NAME).orElseThrow();
                        mock.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
                                .withName("backend-internal-api").endMetadata().withType("Opaque")
                                .withData(Map.of("INTERNAL_API_TOKEN", Base64.getEncoder().encodeToString(
                                        value.getBytes(StandardCharsets.UTF_8)))).build()).createOr(r -> r.update());
                        es.setAdditionalProperty("status", status(Instant.now().truncatedTo(ChronoUnit.SECONDS)
                                .toString(), "2-" + force));
                        externalSecrets().resource(es).updateStatus();
                        seen = force;
                        syncs.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a conflict with Rotor's patch: look again on the next tick
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5000);
        }
    }
}
