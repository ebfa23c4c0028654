package dev.rotor.store.awssecretsmanager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: aws-secrets-manager}: AWS Secrets Manager, a store and a durable journal (see docs/aws-secrets-manager.md).
 * Found by ServiceLoader on every {@code validate}, so nothing here names an AWS SDK type: the SDK is loaded only when
 * {@link #openStore} builds a {@link SecretsManagerStore}.
 */
public final class AwsSecretsManagerProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT, Capability.STAGE,
            Capability.DELETE);
    /** The SDK's retries, bounded: 4 attempts, full-jitter backoff from 0.5 s, at most 8 s between two. */
    static final Retries RETRIES = new Retries(4, Duration.ofMillis(500), Duration.ofSeconds(8));

    /** How the SDK's own retry strategy is configured. */
    record Retries(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    }

    private final Retries retries;

    public AwsSecretsManagerProvider() {
        this(RETRIES);
    }

    /** With other retry delays: for tests that must not wait seconds. */
    AwsSecretsManagerProvider(Retries retries) {
        this.retries = retries;
    }

    @Override
    public String type() {
        return "aws-secrets-manager";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("region", "endpoint", "kms-key-id", "tags", "journal-prefix");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("region");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return AwsSettings.check(settings);
    }

    /** {@code key}: a key inside a JSON secret; without it the target is the whole secret string. */
    @Override
    public Set<String> targetKeys() {
        return Set.of("key");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>();
        if (scope.containsKey("key")) {
            Object key = scope.get("key");
            if (key == null || key instanceof Map<?, ?> || key instanceof List<?> || String.valueOf(key).isEmpty()) {
                problems.add(new KeyProblem("key", "key must be the name of a key inside the secret's JSON object",
                        AwsSettings.DOCS));
            }
        }
        return problems;
    }

    @Override
    public String checkTargetName(String name) {
        return AwsSettings.checkSecretId(name);
    }

    /** Secrets Manager's limit for SecretString: 65,536 bytes. */
    @Override
    public OptionalLong maxValueBytes() {
        return OptionalLong.of(65_536);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Builds the SDK client without a request: credentials, permissions and secrets are checked at preflight. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        return SecretsManagerStore.open(storeName, AwsSettings.parse(storeName, settings), context, retries);
    }
}
