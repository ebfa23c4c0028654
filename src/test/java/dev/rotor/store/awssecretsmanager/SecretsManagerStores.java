package dev.rotor.store.awssecretsmanager;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** Opens aws-secrets-manager stores against a {@link SecretsManagerDouble}, with retries that wait milliseconds. */
final class SecretsManagerStores {
    static final AwsSecretsManagerProvider.Retries FAST = new AwsSecretsManagerProvider.Retries(4, Duration.ofMillis(5),
            Duration.ofMillis(20));
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final ProviderContext.Resends resends = new ProviderContext.Resends();

    Store open(SecretsManagerDouble aws, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("region", SecretsManagerDouble.REGION);
        all.put("endpoint", aws.endpoint());
        all.putAll(settings);
        return new AwsSecretsManagerProvider(FAST).openStore("aws", all, new ProviderContext(
                SecretsManagerDouble.credentials(), Path.of("."), Clock.systemUTC(), progress::add, resends));
    }

    Store open(SecretsManagerDouble aws) {
        return open(aws, Map.of());
    }
}
