package dev.rotor.store.awssecretsmanager;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * AWS Secrets Manager's JSON 1.1 protocol on WireMock, stateful: {@code POST /} with {@code X-Amz-Target:
 * secretsmanager.<Operation>}, {@code Content-Type: application/x-amz-json-1.1} and a SigV4 {@code Authorization} for
 * the expected access key and region; answers in {@code application/x-amz-json-1.1} with {@code x-amzn-RequestId},
 * timestamps as epoch seconds, errors as 400 {@code {"__type": "...", "Message": "..."}}. Shapes and rules follow the
 * service model (botocore {@code secretsmanager/2017-10-17/service-2.json} and {@code examples-1.json}) and the API
 * reference: versions with staging labels (a label on one version at a time; moving AWSCURRENT moves AWSPREVIOUS;
 * UpdateSecretVersionStage fails with InvalidParameterException when RemoveFromVersionId does not hold the label),
 * idempotent ClientRequestTokens, a first version that always gets AWSCURRENT, deletion and rotation flags.
 * A request the stubs do not match (another operation, a missing header) gets WireMock's 404, which fails the test.
 */
public final class SecretsManagerDouble implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIAROTORDOUBLE00001";
    public static final String SECRET_KEY = "double/secret/access/key/0000000000000000";
    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-central-1";
    static final List<String> OPERATIONS = List.of("CreateSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue",
            "UpdateSecretVersionStage", "DeleteSecret");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** One version: its string, labels and creation time. */
    static final class Version {
        final String string;
        final Set<String> stages = new LinkedHashSet<>();
        final Instant created = Instant.now();

        Version(String string) {
            this.string = string;
        }
    }

    /** One secret: versions by id in creation order, and what DescribeSecret shows beside them. */
    static final class Secret {
        final String name;
        final String arn;
        final Map<String, Version> versions = new LinkedHashMap<>();
        String kmsKeyId;
        Map<String, String> tags = new LinkedHashMap<>();
        Instant lastChanged = Instant.now();
        Instant deleted;
        /** When a DeleteSecret said it would be gone for good (the request's time plus its recovery window). */
        Instant deletionDate;
        boolean rotationEnabled;

        Secret(String name) {
            this.name = name;
            this.arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-"
                    + UUID.randomUUID().toString().substring(0, 6);
        }

        String holder(String stage) {
            return versions.entrySet().stream().filter(v -> v.getValue().stages.contains(stage)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }
    }

    /** A request as the double received it. */
    record Request(String operation, JsonNode body) {
    }

    private final WireMockServer server;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> denied = Collections.synchronizedSet(new LinkedHashSet<>());
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String failureType;
    private volatile Runnable beforeNextPromote;
    private volatile String racedCreate;
    private volatile CountDownLatch raceArrivals;

    public SecretsManagerDouble() {
        this(ACCESS_KEY);
    }

    /** Accepts requests signed with {@code accessKey} only (e.g. the temporary key STS handed out). */
    public SecretsManagerDouble(String accessKey) {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Handler()));
        server.start();
        String signature = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/\\d{8}/" + REGION
                + "/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}";
        for (String operation : OPERATIONS) {
            server.stubFor(post(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("secretsmanager." + operation))
                    .withHeader("Content-Type", equalTo(CONTENT_TYPE))
                    .withHeader("Authorization", matching(signature))
                    .willReturn(aResponse().withTransformers(Handler.NAME)));
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The environment the SDK's credentials come from in these tests. */
    public static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    // ---- what tests set up and look at

    /** Another writer's PutSecretValue without VersionStages (or a CreateSecret): the string becomes AWSCURRENT. */
    synchronized String put(String name, String string) {
        Secret secret = secrets.computeIfAbsent(name, Secret::new);
        String id = UUID.randomUUID().toString();
        secret.versions.put(id, new Version(string));
        moveStage(secret, "AWSCURRENT", id);
        secret.lastChanged = Instant.now();
        return id;
    }

    public synchronized Optional<String> current(String name) {
        Secret secret = secrets.get(name);
        String id = secret == null ? null : secret.holder("AWSCURRENT");
        return id == null ? Optional.empty() : Optional.of(secret.versions.get(id).string);
    }

    synchronized Optional<String> stage(String name, String stage) {
        Secret secret = secrets.get(name);
        String id = secret == null ? null : secret.holder(stage);
        return id == null ? Optional.empty() : Optional.of(secret.versions.get(id).string);
    }

    synchronized String holder(String name, String stage) {
        return secrets.get(name).holder(stage);
    }

    /** Version id to labels, as VersionIdsToStages shows them (versions without a label left out). */
    synchronized Map<String, List<String>> stages(String name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        secrets.get(name).versions.forEach((id, v) -> {
            if (!v.stages.isEmpty()) {
                out.put(id, List.copyOf(v.stages));
            }
        });
        return out;
    }

    synchronized int versions(String name) {
        Secret secret = secrets.get(name);
        return secret == null ? 0 : secret.versions.size();
    }

    synchronized boolean exists(String name) {
        return secrets.containsKey(name);
    }

    synchronized Secret secret(String name) {
        return secrets.get(name);
    }

    synchronized void scheduleDeletion(String name) {
        secrets.get(name).deleted = Instant.parse("2026-12-31T00:00:00Z");
    }

    synchronized void enableRotation(String name) {
        secrets.get(name).rotationEnabled = true;
    }

    void deny(String operation) {
        denied.add(operation);
    }

    void allowAll() {
        denied.clear();
    }

    /** The next {@code count} requests answer {@code status} with error {@code type} (null: no body). */
    void failNext(int count, int status, String type) {
        failureStatus = status;
        failureType = type;
        failures.set(count);
    }

    /**
     * Holds each CreateSecret of {@code name} until {@code count} of them have arrived (at most 60 s), so that
     * runs in other threads or processes that all found no such secret create it at the same moment.
     */
    void raceCreates(String name, int count) {
        racedCreate = name;
        raceArrivals = new CountDownLatch(count);
    }

    void beforeNextPromote(Runnable hook) {
        beforeNextPromote = hook;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Header {@code name} of every request received, in order (null where a request had none). */
    List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            out.add(0, event.getRequest().getHeader(name));
        }
        return out;
    }

    List<String> operations() {
        return requests().stream().map(Request::operation).toList();
    }

    // ---- the protocol

    private final class Handler implements ResponseDefinitionTransformerV2 {
        static final String NAME = "secrets-manager";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String operation = event.getRequest().getHeader("X-Amz-Target").substring("secretsmanager.".length());
            JsonNode body;
            try {
                body = JSON.readTree(event.getRequest().getBodyAsString());
            } catch (Exception e) {
                return error(400, "SerializationException", "Unable to parse the request body");
            }
            requests.add(new Request(operation, body));
            CountDownLatch race = raceArrivals;
            if (race != null && "CreateSecret".equals(operation) && body.path("Name").asText().equals(racedCreate)) {
                race.countDown();
                try {
                    race.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return failureType == null ? aResponse().withStatus(failureStatus).build()
                        : error(failureStatus, failureType, "Rate exceeded");
            }
            if (denied.contains(operation)) {
                return error(400, "AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/rotor-ci/"
                        + "GitHubActions is not authorized to perform: secretsmanager:" + operation + " on resource: "
                        + body.path("SecretId").asText(body.path("Name").asText()) + " because no identity-based "
                        + "policy allows the secretsmanager:" + operation + " action");
            }
            if ("UpdateSecretVersionStage".equals(operation) && "AWSCURRENT".equals(body.path("VersionStage").asText())) {
                Runnable hook = beforeNextPromote;
                beforeNextPromote = null;
                if (hook != null) {
                    hook.run();
                }
            }
            synchronized (SecretsManagerDouble.this) {
                return switch (operation) {
                    case "CreateSecret" -> create(body);
                    case "DescribeSecret" -> describe(body);
                    case "GetSecretValue" -> get(body);
                    case "PutSecretValue" -> putValue(body);
                    case "UpdateSecretVersionStage" -> updateStage(body);
                    case "DeleteSecret" -> deleteSecret(body);
                    default -> error(400, "UnknownOperationException", "");
                };
            }
        }
    }

    private ResponseDefinition create(JsonNode body) {
        String name = body.path("Name").asText();
        Secret existing = secrets.get(name);
        if (existing != null) {
            return existing.deleted != null
                    ? error(400, "InvalidRequestException", "You can't create this secret because a secret with this "
                    + "name is already scheduled for deletion.")
                    : error(400, "ResourceExistsException", "The operation failed because the secret " + name
                    + " already exists.");
        }
        Secret secret = new Secret(name);
        secret.kmsKeyId = body.path("KmsKeyId").asText(null);
        body.path("Tags").forEach(t -> secret.tags.put(t.path("Key").asText(), t.path("Value").asText()));
        String id = body.path("ClientRequestToken").asText(UUID.randomUUID().toString());
        secret.versions.put(id, new Version(body.path("SecretString").asText()));
        secret.versions.get(id).stages.add("AWSCURRENT");
        secrets.put(name, secret);
        return ok(JSON.createObjectNode().put("ARN", secret.arn).put("Name", name).put("VersionId", id));
    }

    private ResponseDefinition describe(JsonNode body) {
        Secret secret = find(body);
        if (secret == null) {
            return notFound();
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
        if (secret.kmsKeyId != null) {
            out.put("KmsKeyId", secret.kmsKeyId);
        }
        if (secret.rotationEnabled) {
            out.put("RotationEnabled", true);
        }
        out.put("LastChangedDate", seconds(secret.lastChanged));
        if (secret.deleted != null) {
            out.put("DeletedDate", seconds(secret.deleted));
        }
        ArrayNode tags = out.putArray("Tags");
        secret.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        ObjectNode stages = out.putObject("VersionIdsToStages");
        secret.versions.forEach((id, v) -> {
            if (!v.stages.isEmpty()) {
                ArrayNode labels = stages.putArray(id);
                v.stages.forEach(labels::add);
            }
        });
        out.put("CreatedDate", seconds(secret.versions.values().stream().map(v -> v.created).findFirst()
                .orElse(secret.lastChanged)));
        return ok(out);
    }

    private ResponseDefinition get(JsonNode body) {
        Secret secret = find(body);
        ResponseDefinition refused = refusal(secret);
        if (refused != null) {
            return refused;
        }
        String versionId = body.path("VersionId").asText(null);
        String stage = body.path("VersionStage").asText(null);
        String id = versionId != null ? versionId : secret.holder(stage == null ? "AWSCURRENT" : stage);
        Version version = id == null ? null : secret.versions.get(id);
        if (version == null || (stage != null && !version.stages.contains(stage))) {
            return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for "
                    + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", id)
                .put("SecretString", version.string);
        ArrayNode labels = out.putArray("VersionStages");
        version.stages.forEach(labels::add);
        out.put("CreatedDate", seconds(version.created));
        return ok(out);
    }

    private ResponseDefinition putValue(JsonNode body) {
        Secret secret = find(body);
        ResponseDefinition refused = refusal(secret);
        if (refused != null) {
            return refused;
        }
        String id = body.path("ClientRequestToken").asText(null);
        if (id == null) {
            return error(400, "InvalidParameterException", "You must provide a ClientRequestToken.");
        }
        String string = body.path("SecretString").asText();
        Version existing = secret.versions.get(id);
        if (existing != null) {
            if (!existing.string.equals(string)) {
                return error(400, "ResourceExistsException", "You can't modify an existing version, you can only "
                        + "create a new version.");
            }
            return putAnswer(secret, id, existing);
        }
        List<String> labels = new ArrayList<>();
        body.path("VersionStages").forEach(s -> labels.add(s.asText()));
        if (labels.isEmpty() || secret.versions.isEmpty()) {
            // without VersionStages, or as a secret's first version: AWSCURRENT comes to it
            labels.add("AWSCURRENT");
        }
        Version version = new Version(string);
        secret.versions.put(id, version);
        for (String label : new LinkedHashSet<>(labels)) {
            moveStage(secret, label, id);
        }
        secret.lastChanged = Instant.now();
        return putAnswer(secret, id, version);
    }

    private ResponseDefinition putAnswer(Secret secret, String id, Version version) {
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", id);
        ArrayNode labels = out.putArray("VersionStages");
        version.stages.forEach(labels::add);
        return ok(out);
    }

    private ResponseDefinition updateStage(JsonNode body) {
        Secret secret = find(body);
        if (secret == null) {
            return notFound();
        }
        String stage = body.path("VersionStage").asText();
        String moveTo = body.path("MoveToVersionId").asText(null);
        String removeFrom = body.path("RemoveFromVersionId").asText(null);
        String holder = secret.holder(stage);
        if (moveTo != null && !secret.versions.containsKey(moveTo)) {
            return error(400, "InvalidParameterException", "Not a valid version: " + moveTo);
        }
        if (holder != null && !holder.equals(moveTo)) {
            if (removeFrom == null) {
                return error(400, "InvalidParameterException", "The parameter RemoveFromVersionId can't be empty. "
                        + "Staging label " + stage + " is currently attached to version " + holder + ", so you must "
                        + "explicitly reference that version in RemoveFromVersionId.");
            }
            if (!removeFrom.equals(holder)) {
                return error(400, "InvalidParameterException", "When you move staging label " + stage + ", if you "
                        + "specify RemoveFromVersionId, it must be set to the version that currently has the staging "
                        + "label " + stage + ".");
            }
        } else if (removeFrom != null && !removeFrom.equals(holder)) {
            return error(400, "InvalidParameterException", "The staging label " + stage + " is not attached to version "
                    + removeFrom + ".");
        }
        if (moveTo != null) {
            moveStage(secret, stage, moveTo);
        } else if (holder != null) {
            secret.versions.get(holder).stages.remove(stage);
        }
        secret.lastChanged = Instant.now();
        return ok(JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name));
    }

    /**
     * DeleteSecret: RecoveryWindowInDays 7 to 30 (default 30) or ForceDeleteWithoutRecovery, not both; the secret is
     * scheduled (DeletedDate set, its values refused) and the answer gives the DeletionDate. One already scheduled is
     * refused like any operation on it.
     */
    private ResponseDefinition deleteSecret(JsonNode body) {
        Secret secret = find(body);
        ResponseDefinition refused = refusal(secret);
        if (refused != null) {
            return refused;
        }
        boolean force = body.path("ForceDeleteWithoutRecovery").asBoolean(false);
        JsonNode window = body.path("RecoveryWindowInDays");
        if (force && !window.isMissingNode()) {
            return error(400, "InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction "
                    + "with RecoveryWindowInDays.");
        }
        long days = window.asLong(30);
        if (!force && (days < 7 || days > 30)) {
            return error(400, "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 "
                    + "days (inclusive).");
        }
        Instant deletion = Instant.now().plus(java.time.Duration.ofDays(force ? 0 : days));
        if (force) {
            secrets.remove(secret.name);
        } else {
            secret.deleted = Instant.now();
            secret.deletionDate = deletion;
        }
        return ok(JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("DeletionDate", seconds(deletion)));
    }

    /** Attaches a label to one version; AWSCURRENT leaving a version leaves AWSPREVIOUS there. */
    private static void moveStage(Secret secret, String stage, String to) {
        String from = secret.holder(stage);
        if (to.equals(from)) {
            return;
        }
        if (from != null) {
            secret.versions.get(from).stages.remove(stage);
        }
        secret.versions.get(to).stages.add(stage);
        if ("AWSCURRENT".equals(stage) && from != null) {
            String previous = secret.holder("AWSPREVIOUS");
            if (previous != null) {
                secret.versions.get(previous).stages.remove("AWSPREVIOUS");
            }
            secret.versions.get(from).stages.add("AWSPREVIOUS");
        }
    }

    /** A missing secret, or one scheduled for deletion, refuses reads and writes of its values. */
    private static ResponseDefinition refusal(Secret secret) {
        if (secret == null) {
            return notFound();
        }
        return secret.deleted == null ? null : error(400, "InvalidRequestException", "You can't perform this "
                + "operation on the secret because it was marked for deletion.");
    }

    private Secret find(JsonNode body) {
        String id = body.path("SecretId").asText();
        Secret byName = secrets.get(id);
        if (byName != null) {
            return byName;
        }
        return secrets.values().stream().filter(s -> s.arn.equals(id)).findFirst().orElse(null);
    }

    private static ResponseDefinition notFound() {
        return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private static ResponseDefinition ok(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", CONTENT_TYPE)
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString()).withBody(body.toString()).build();
    }

    private static ResponseDefinition error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                .withBody(JSON.createObjectNode().put("__type", type).put("Message", message).toString()).build();
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
