package dev.rotor.store.awssecretsmanager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * One Secrets Manager secret per target name (or one key of the JSON object it holds, with {@code key:}). A write
 * stages the value the way AWS's rotation functions do: {@code PutSecretValue} with {@code VersionStages [AWSPENDING]}
 * and a {@code ClientRequestToken} derived from the secret and the version it replaces (a re-run after a crash puts
 * the same version again, which AWS ignores), then {@code UpdateSecretVersionStage} moves {@code AWSCURRENT} to it with
 * {@code RemoveFromVersionId} = the version it read, which AWS refuses when another writer moved {@code AWSCURRENT}
 * meanwhile: that refusal is the compare-and-set of {@link #writeIfVersion} and keeps the neighbours of a key.
 * AWS moves {@code AWSPREVIOUS} itself; Rotor then removes {@code AWSPENDING}, as the rotation templates do.
 * The journal of a unit is its own secret, {@code [journal-prefix/]rotor-journal/<unit>}. A delete removes a key
 * the same way, or schedules a whole secret's deletion with a recovery window.
 */
final class SecretsManagerStore implements Store {
    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";
    /** Rounds of read, stage, promote when another writer keeps moving AWSCURRENT of the same secret. */
    static final int MAX_ROUNDS = 5;
    /** Tokens tried when an earlier pending version of the same step holds another value. */
    private static final int MAX_TOKENS = 4;
    /** The shortest window AWS allows: the secret can be restored for a week, and its name is free soonest. */
    static final long RECOVERY_WINDOW_DAYS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A secret as DescribeSecret shows it: the versions holding AWSCURRENT and AWSPENDING (either may be null). */
    private record Described(String arn, String current, String pending, Instant lastChanged, Instant deleted,
                             boolean rotatedByAws) {
    }

    /** What a target names: the secret (name or ARN) and, optionally, a key inside its JSON object. */
    private record Target(String secretId, String key) {
        String describe() {
            return key == null ? secretId : secretId + " key " + key;
        }
    }

    private final String storeName;
    private final AwsSettings settings;
    private final SecretsManagerClient client;
    private final SecretsManagerErrors errors;
    private final Consumer<String> progress;

    SecretsManagerStore(String storeName, AwsSettings settings, String role, SecretsManagerClient client,
                        Consumer<String> progress) {
        this.storeName = storeName;
        this.settings = settings;
        this.client = client;
        this.errors = new SecretsManagerErrors(storeName, settings, role);
        this.progress = progress == null ? line -> { } : progress;
    }

    /**
     * The SDK client: the region and endpoint of the settings; credentials as {@link AwsCredentials} finds them in the
     * run's environment (access keys, web identity through STS, then the SDK's default chain); the URLConnection HTTP
     * client; the SDK's standard retry strategy with explicit bounds, observed attempt by attempt (STS's calls too).
     */
    static SecretsManagerStore open(String storeName, AwsSettings settings, ProviderContext context,
                                    AwsSecretsManagerProvider.Retries retries) {
        RetryStrategy strategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retries.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(retries.baseDelay(), retries.maxDelay()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(retries.baseDelay(), retries.maxDelay()))
                // no token bucket: every call gets its attempts, however many failed before in this run
                .circuitBreakerEnabled(false)
                .build();
        AttemptObserver observer = new AttemptObserver(storeName, retries.maxAttempts(), context.clock(),
                context.progress(), context.resends());
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder().retryStrategy(strategy)
                .addExecutionInterceptor(observer).build();
        SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(30)).build();
        AwsCredentials credentials = AwsCredentials.from(context.environment() == null ? Map.of()
                : context.environment(), settings.region(), http, overrides);
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials.provider)
                .httpClient(http)
                .overrideConfiguration(overrides);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new SecretsManagerStore(storeName, settings, credentials.role, builder.build(), context.progress());
    }

    @Override
    public Set<Capability> capabilities() {
        return AwsSecretsManagerProvider.CAPABILITIES;
    }

    @Override
    public Address journalAddress(String unit) {
        return Address.of(settings.journalName(unit));
    }

    /**
     * Reads every secret (DescribeSecret, GetSecretValue): permission, KMS decryption, a JSON object where a key is
     * set, no deletion scheduled and no rotation by AWS itself. A missing secret is fine (a write creates it), unless
     * it is named by ARN. Writes nothing, so PutSecretValue and CreateSecret permissions show only at the write.
     */
    @Override
    public void preflight(List<Address> addresses) {
        for (Address address : addresses) {
            Target target = target(address);
            Described described = describe(target.secretId());
            if (described == null) {
                if (AwsSettings.isArn(target.secretId())) {
                    throw missingArn(target);
                }
                continue;
            }
            usable(target, described);
            if (described.current() != null) {
                String current = currentString(target, described.current());
                if (target.key() != null) {
                    object(target, current);
                }
            }
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        Target target = target(address);
        GetSecretValueResponse response = call("GetSecretValue", target.secretId(), () -> {
            try {
                return client.getSecretValue(b -> b.secretId(target.secretId()).versionStage(CURRENT));
            } catch (ResourceNotFoundException e) {
                return null;
            } catch (InvalidRequestException e) {
                // a secret scheduled for deletion (a deleted key set version) refuses its value: it reads as gone
                Described described = describe(target.secretId());
                if (described != null && described.deleted() != null) {
                    return null;
                }
                throw e;
            }
        });
        if (response == null) {
            return Optional.empty();
        }
        String string = text(target, response);
        Optional<String> value = target.key() == null ? Optional.of(string) : field(target, string);
        return value.map(v -> new Stored(v, response.versionId(), response.createdDate()));
    }

    /**
     * The pending step, as an AWS rotation function's createSecret: the value goes under AWSPENDING (with the token
     * {@link #write} derives too, so its put is the same version) and Secrets Manager shows a rotation in progress.
     * A secret that already holds the value, or does not exist yet, gets nothing staged: write settles or creates it.
     */
    @Override
    public void stage(Address address, String value) {
        Target target = target(address);
        Described described = describe(target.secretId());
        if (described == null) {
            return;
        }
        usable(target, described);
        String current = described.current() == null ? null : currentString(target, described.current());
        String next = compose(target, current, value);
        if (next == null) {
            settle(target, described);
        } else {
            stage(target, described, next);
        }
    }

    /** A rollback dropped the pending value: AWSPENDING is taken off the version that held it. */
    @Override
    public void unstage(Address address) {
        Target target = target(address);
        Described described = describe(target.secretId());
        if (described != null) {
            settle(target, described);
        }
    }

    /** {@code status}: the secret's LastChangedDate (DescribeSecret). */
    @Override
    public Optional<Instant> updatedAt(Address address) {
        Target target = target(address);
        Described described = describe(target.secretId());
        return described == null ? Optional.empty() : Optional.ofNullable(described.lastChanged());
    }

    @Override
    public Written write(Address address, String value) {
        Target target = target(address);
        return rewrite(target, "written", current -> compose(target, current, value), true);
    }

    /**
     * A key: the JSON object is rewritten without it, staged and promoted exactly as a write (its neighbours kept by
     * the same compare-and-set). A whole secret: DeleteSecret with a recovery window of {@value #RECOVERY_WINDOW_DAYS}
     * days, never ForceDeleteWithoutRecovery, so RestoreSecret can undo it. A missing secret or key, or a secret
     * already scheduled for deletion, is already gone.
     */
    @Override
    public void delete(Address address) {
        Target target = target(address);
        if (target.key() != null) {
            rewrite(target, "deleted", current -> current == null ? null : withoutKey(target, current), false);
            return;
        }
        Described described = describe(target.secretId());
        if (described == null || described.deleted() != null) {
            return;
        }
        usable(target, described);
        call("DeleteSecret", target.secretId(), () -> {
            try {
                return client.deleteSecret(b -> b.secretId(target.secretId()).recoveryWindowInDays(RECOVERY_WINDOW_DAYS));
            } catch (ResourceNotFoundException e) {
                return null;
            }
        });
        progress.accept(errors.prefix() + "secret " + target.secretId() + " scheduled for deletion in "
                + RECOVERY_WINDOW_DAYS + " days (aws secretsmanager restore-secret undoes it until then)");
    }

    /**
     * Reads the secret, stages {@code compose} of its current string (null: nothing to change) and promotes it, again
     * from the read when another writer moved AWSCURRENT meanwhile (boundedly). A missing secret is created only when
     * {@code create} says so.
     */
    private Written rewrite(Target target, String verb, UnaryOperator<String> compose, boolean create) {
        for (int round = 1; ; round++) {
            Described described = describe(target.secretId());
            if (described == null) {
                if (!create) {
                    return new Written(null, false);
                }
                Optional<Written> created = create(target, compose.apply(null));
                if (created.isPresent()) {
                    return created.get();
                }
            } else {
                usable(target, described);
                String current = described.current() == null ? null : currentString(target, described.current());
                String next = compose.apply(current);
                if (next == null) {
                    settle(target, described);
                    return new Written(described.current(), false);
                }
                String version = stage(target, described, next);
                if (promote(target, version, described.current())) {
                    return new Written(version, true);
                }
            }
            if (round >= MAX_ROUNDS) {
                throw new StoreException(StoreException.Kind.CONFLICT, errors.prefix() + "secret " + target.secretId()
                        + " changed under each of " + round + " writes of " + target.describe(),
                        "re-run when the other writers of this secret are done");
            }
            progress.accept(errors.prefix() + "secret " + target.secretId() + " changed while "
                    + target.describe() + " was " + verb + "; reading it again to keep the other keys");
        }
    }

    /**
     * Writes only if AWSCURRENT is still on {@code expectedVersion} (null: only if the secret, or its key, is absent):
     * CreateSecret refuses an existing name, and UpdateSecretVersionStage refuses a RemoveFromVersionId that no longer
     * holds AWSCURRENT. Each journal save is a new version under a token of the SDK's own (two saves of one step hold
     * different records, so a derived token would collide).
     */
    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        Target target = target(address);
        Described described = describe(target.secretId());
        if (described == null) {
            if (expectedVersion != null) {
                throw conflict(target);
            }
            return create(target, compose(target, null, value)).orElseThrow(() -> conflict(target));
        }
        usable(target, described);
        String current = described.current() == null ? null : currentString(target, described.current());
        boolean present = current != null && (target.key() == null || field(target, current).isPresent());
        boolean matches = expectedVersion == null ? !present
                : present && expectedVersion.equals(described.current());
        if (!matches) {
            throw conflict(target);
        }
        String next = compose(target, current, value);
        if (next == null) {
            return new Written(described.current(), false);
        }
        String version = call("PutSecretValue", target.secretId(), () -> client.putSecretValue(b -> b
                .secretId(target.secretId()).secretString(next).versionStages(PENDING)).versionId());
        if (!promote(target, version, described.current())) {
            unstage(target, version);
            throw conflict(target);
        }
        return new Written(version, true);
    }

    private StoreException conflict(Target target) {
        return new StoreException(StoreException.Kind.CONFLICT, errors.prefix() + "secret " + target.describe()
                + " changed since it was read (another run?)");
    }

    /** DescribeSecret; null when there is no such secret. */
    private Described describe(String secretId) {
        DescribeSecretResponse response = call("DescribeSecret", secretId, () -> {
            try {
                return client.describeSecret(b -> b.secretId(secretId));
            } catch (ResourceNotFoundException e) {
                return null;
            }
        });
        if (response == null) {
            return null;
        }
        String current = null;
        String pending = null;
        for (Map.Entry<String, List<String>> version : response.versionIdsToStages().entrySet()) {
            if (version.getValue().contains(CURRENT)) {
                current = version.getKey();
            }
            if (version.getValue().contains(PENDING)) {
                pending = version.getKey();
            }
        }
        return new Described(response.arn(), current, pending, response.lastChangedDate(), response.deletedDate(),
                Boolean.TRUE.equals(response.rotationEnabled()));
    }

    /** Refuses a secret Rotor must not write: scheduled for deletion, or rotated by Secrets Manager itself. */
    private void usable(Target target, Described described) {
        if (described.deleted() != null) {
            throw new StoreException(StoreException.Kind.INVALID, errors.prefix() + "secret " + target.secretId()
                    + " is scheduled for deletion on " + described.deleted() + "; Rotor neither writes nor recreates it",
                    "restore it (aws secretsmanager restore-secret --secret-id " + target.secretId()
                            + ") or name another secret");
        }
        if (described.rotatedByAws()) {
            throw new StoreException(StoreException.Kind.INVALID, errors.prefix() + "secret " + target.secretId()
                    + " is rotated by Secrets Manager itself (rotation is enabled): two rotations would fight over "
                    + "AWSPENDING", "turn its rotation off (aws secretsmanager cancel-rotate-secret --secret-id "
                    + target.secretId() + ") or remove this target");
        }
    }

    /** The SecretString of one version (the one DescribeSecret named AWSCURRENT). */
    private String currentString(Target target, String versionId) {
        GetSecretValueResponse response = call("GetSecretValue", target.secretId(), () ->
                client.getSecretValue(b -> b.secretId(target.secretId()).versionId(versionId)));
        return text(target, response);
    }

    private String text(Target target, GetSecretValueResponse response) {
        if (response.secretString() == null) {
            throw new StoreException(StoreException.Kind.INVALID, errors.prefix() + "secret " + target.secretId()
                    + " holds a binary value (SecretBinary); Rotor reads and writes text",
                    "point the target at a secret that holds text (SecretString)");
        }
        return response.secretString();
    }

    /**
     * The SecretString to write so that the target holds {@code value}, or null when it already does. With a key, the
     * current string must be a JSON object (or absent); the key is set and every other key kept.
     */
    private String compose(Target target, String current, String value) {
        if (target.key() == null) {
            return value.equals(current) ? null : value;
        }
        ObjectNode object = current == null ? JSON.createObjectNode() : object(target, current);
        JsonNode held = object.get(target.key());
        if (held != null && held.isTextual() && held.asText().equals(value)) {
            return null;
        }
        object.put(target.key(), value);
        return encode(target, object);
    }

    /** The current JSON object without the target's key, or null when it has no such key. */
    private String withoutKey(Target target, String current) {
        ObjectNode object = object(target, current);
        return object.remove(target.key()) == null ? null : encode(target, object);
    }

    private String encode(Target target, ObjectNode object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, errors.prefix() + "secret " + target.secretId()
                    + " could not be encoded");
        }
    }

    private Optional<String> field(Target target, String current) {
        JsonNode held = object(target, current).get(target.key());
        if (held == null || held.isNull()) {
            return Optional.empty();
        }
        return Optional.of(held.isValueNode() ? held.asText() : held.toString());
    }

    private ObjectNode object(Target target, String current) {
        try {
            JsonNode node = JSON.readTree(current);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // Jackson's message quotes the text, which is a secret: named below, never quoted.
        }
        throw new StoreException(StoreException.Kind.INVALID, errors.prefix() + "secret " + target.secretId()
                + " does not hold a JSON object, so key " + target.key() + " cannot be set in it",
                "drop `key:` to write the whole secret, or point the target at a JSON secret");
    }

    /** CreateSecret with the first version as AWSCURRENT; empty when another writer created it meanwhile. */
    private Optional<Written> create(Target target, String string) {
        if (AwsSettings.isArn(target.secretId())) {
            throw missingArn(target);
        }
        List<Tag> tags = settings.tags().entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
        return call("CreateSecret", target.secretId(), () -> {
            try {
                String version = client.createSecret(b -> {
                    b.name(target.secretId()).secretString(string).description("Rotated by Rotor");
                    if (settings.kmsKeyId() != null) {
                        b.kmsKeyId(settings.kmsKeyId());
                    }
                    if (!tags.isEmpty()) {
                        b.tags(tags);
                    }
                }).versionId();
                progress.accept(errors.prefix() + "created secret " + target.secretId());
                return Optional.of(new Written(version, true));
            } catch (ResourceExistsException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * PutSecretValue under AWSPENDING. The token is derived from the secret and the version this write replaces, so a
     * re-run after a crash puts the very same version (AWS ignores a repeated token with the same value); a token that
     * already holds another value (an earlier pending write that was abandoned) is followed by the next one.
     */
    private String stage(Target target, Described described, String string) {
        for (int n = 0; n < MAX_TOKENS; n++) {
            String token = versionToken(described.arn(), described.current(), n);
            String version = call("PutSecretValue", target.secretId(), () -> {
                try {
                    return client.putSecretValue(b -> b.secretId(target.secretId()).clientRequestToken(token)
                            .secretString(string).versionStages(PENDING)).versionId();
                } catch (ResourceExistsException e) {
                    return null;
                }
            });
            if (version != null) {
                return version;
            }
        }
        throw new StoreException(StoreException.Kind.FAILED, errors.prefix() + "secret " + target.secretId()
                + " already holds " + MAX_TOKENS + " other pending versions for this step",
                "remove AWSPENDING from them (aws secretsmanager update-secret-version-stage) and re-run");
    }

    /** A UUID-shaped token (32 to 64 characters, as ClientRequestToken requires) from the secret, version and round. */
    static String versionToken(String secretArn, String replacedVersion, int n) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("rotor\n" + secretArn + "\n"
                    + (replacedVersion == null ? "" : replacedVersion) + "\n" + n).getBytes(StandardCharsets.UTF_8));
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (hash[i] & 0xff);
                low = (low << 8) | (hash[8 + i] & 0xff);
            }
            // version 8 (custom) and the RFC 4122 variant, so that it reads as what it is: a derived UUID
            high = (high & ~0xF000L) | 0x8000L;
            low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(high, low).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Moves AWSCURRENT to {@code version}, from {@code from}; false when another writer moved it first. AWS then moves
     * AWSPREVIOUS itself, and AWSPENDING is removed as the rotation templates' finishSecret does.
     */
    private boolean promote(Target target, String version, String from) {
        boolean moved = call("UpdateSecretVersionStage", target.secretId(), () -> {
            try {
                client.updateSecretVersionStage(b -> b.secretId(target.secretId()).versionStage(CURRENT)
                        .moveToVersionId(version).removeFromVersionId(from));
                return true;
            } catch (InvalidParameterException e) {
                return false;
            }
        });
        if (!moved) {
            Described now = describe(target.secretId());
            if (now == null || !version.equals(now.current())) {
                if (now != null && (from == null ? now.current() != null : !from.equals(now.current()))) {
                    return false;
                }
                throw new StoreException(StoreException.Kind.FAILED, errors.prefix() + "Secrets Manager refused to "
                        + "move AWSCURRENT of secret " + target.secretId() + " to the new version (InvalidParameterException)");
            }
        }
        unstage(target, version);
        return true;
    }

    /** Removes AWSPENDING from a version; it may have moved on (another writer's put), which is fine. */
    private void unstage(Target target, String version) {
        call("UpdateSecretVersionStage", target.secretId(), () -> {
            try {
                client.updateSecretVersionStage(b -> b.secretId(target.secretId()).versionStage(PENDING)
                        .removeFromVersionId(version));
            } catch (InvalidParameterException e) {
                // the label is elsewhere already
            }
            return null;
        });
    }

    /** The target already holds the value: an AWSPENDING an unfinished write left beside it is removed. */
    private void settle(Target target, Described described) {
        if (described.pending() != null && !described.pending().equals(described.current())) {
            unstage(target, described.pending());
        }
    }

    private StoreException missingArn(Target target) {
        return new StoreException(StoreException.Kind.NOT_FOUND, errors.prefix() + "no secret " + target.secretId()
                + " (an ARN names a secret that exists; Rotor creates secrets only by name)",
                "check the ARN, or give the secret's name to have it created");
    }

    private <T> T call(String operation, String secretId, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw errors.map(operation, secretId, e);
        }
    }

    private Target target(Address address) {
        String name = address.name();
        String problem = AwsSettings.checkSecretId(name);
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, errors.prefix() + problem);
        }
        Object key = address.scope().get("key");
        return new Target(name, key == null ? null : String.valueOf(key));
    }

    @Override
    public String toString() {
        return "SecretsManagerStore[" + storeName + ", " + settings.region() + "]";
    }
}
