package dev.rotor.manifest;

import java.time.Duration;
import java.util.List;

/**
 * One secret. {@code owner} may be null (a value no system enforces, e.g. a signing secret);
 * {@code journal} is the name of a readable store, already defaulted by the loader to the first readable target's store.
 * {@code grace} (alternating-users, keyset: how long the old user or key keeps working, zero when absent),
 * {@code prepareNext} (dual-password) and {@code keyId} (keyset: the version's id with {@code {n}}, null for the
 * default) tune the strategy.
 */
public record SecretSpec(String name, GeneratorSpec generate, Duration maxAge, OwnerSpec owner, String strategy,
                         Duration grace, boolean prepareNext, String keyId,
                         String journal, List<TargetSpec> targets, List<CheckSpec> verify, HooksSpec hooks,
                         Location location) {
    /** The default key id of a keyset: {@code NAME-v{n}}. */
    public String keyIdPattern() {
        return keyId != null ? keyId : name + "-v{n}";
    }
}
