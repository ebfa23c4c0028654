package dev.rotor.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rotor.store.kubernetes.KubeMock;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.store.redis.EmbeddedRedis;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** What the example tests share: the example as written, pointed at the test's servers, and a clean server. */
final class Examples {
    private Examples() {
    }

    /**
     * The example manifest copied into a test's folder with only what points at servers moved to the test's own
     * (hosts, ports, addresses): the rest of the example runs as written.
     */
    static Path copy(String example, Path dir, Consumer<ObjectNode> pointAtTheTestServers) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(Path.of("examples/manifests", example).toFile());
        pointAtTheTestServers.accept(root);
        Path copy = dir.resolve(example);
        yaml.writeValue(copy.toFile(), root);
        return copy;
    }

    /** Drops the roles a previous run left on the shared PostgreSQL, with their privileges and objects. */
    static void dropRoles(EmbeddedServer postgres, String namePattern) {
        postgres.sql("""
                DO $$ DECLARE r text; BEGIN
                  FOR r IN SELECT rolname FROM pg_roles WHERE rolname ~ '%s' LOOP
                    EXECUTE format('DROP OWNED BY %%I', r); EXECUTE format('DROP ROLE %%I', r);
                  END LOOP;
                END $$""".formatted(namePattern));
    }

    /**
     * The demo-platform runbook's users before any rotation: PostgreSQL role backend with the runbook's grants on
     * database demo-platform and on the tables and sequences of schema demo_platform (one PostgreSQL stands for
     * demo-platform's: privileges live per database, so the tables are in the database Rotor connects to), and the
     * Redis ACL user backend that may only SUBSCRIBE to config:*.
     */
    static void demoPlatformUsers(EmbeddedServer postgres, EmbeddedRedis redis, String pgPassword, String redisPassword) {
        dropDemoPlatform(postgres);
        postgres.sql("CREATE ROLE demo_owner NOLOGIN", "GRANT demo_owner TO " + EmbeddedServer.ADMIN,
                "CREATE DATABASE \"demo-platform\" OWNER demo_owner",
                "CREATE SCHEMA demo_platform AUTHORIZATION demo_owner",
                "CREATE TABLE demo_platform.users (id serial PRIMARY KEY, name text)",
                "CREATE TABLE demo_platform.sessions (id bigserial PRIMARY KEY, user_id int)",
                "ALTER TABLE demo_platform.users OWNER TO demo_owner",
                "ALTER TABLE demo_platform.sessions OWNER TO demo_owner");
        postgres.role("backend", pgPassword);
        postgres.sql("GRANT ALL PRIVILEGES ON DATABASE \"demo-platform\" TO backend",
                "GRANT USAGE ON SCHEMA demo_platform TO backend",
                "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA demo_platform TO backend",
                "GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA demo_platform TO backend");
        redis.observe(j -> j.aclSetUser("backend", "reset", "on", ">" + redisPassword, "~config:*", "-@all", "+subscribe"));
        redis.observe(j -> j.aclDelUser("backend_v2", "backend_v3"));
    }

    /** Removes what {@link #demoPlatformUsers} and the rotations after it created on the shared PostgreSQL. */
    static void dropDemoPlatform(EmbeddedServer postgres) {
        dropRoles(postgres, "^backend(_v[0-9]+)?$");
        postgres.sql("DROP SCHEMA IF EXISTS demo_platform CASCADE", "DROP DATABASE IF EXISTS \"demo-platform\"");
        dropRoles(postgres, "^demo_owner$");
    }

    /** A Deployment whose first rollout is complete (the CRUD mock runs no controller), as the cluster would hold it. */
    static void rolledOutDeployment(KubeMock mock, String namespace, String name) {
        Deployment created = mock.client().apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(name + ":1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        mock.client().apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder(created)
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(created.getMetadata().getGeneration())
                        .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build())
                .build()).updateStatus();
    }

    /** An Opaque Secret with these keys, as {@code kubectl create secret generic --from-literal} makes it. */
    static void secret(KubeMock mock, String namespace, String name, Map<String, String> keys) {
        Map<String, String> data = new TreeMap<>();
        keys.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        mock.client().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .endMetadata().withType("Opaque").withData(data).build()).create();
    }

    /** Every key of a Secret in the mock, decoded, sorted by key; empty when the Secret is absent. */
    static Map<String, String> keys(KubeMock mock, String namespace, String name) {
        var secret = mock.client().secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> out = new TreeMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The number of {@code kubectl rollout restart}s of a Deployment so far: the merge patches of its pod template. */
    static long restarts(KubeMock mock, String namespace, String deployment) {
        return mock.count("PATCH /apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment);
    }
}
