package dev.rotor.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated manifest. Maps keep manifest order (LinkedHashMap). Strings may still hold
 * templates ({@code ${env}}, {@code ${vars.x}}, {@code ${env:NAME}}, {@code ${secret...}}); the engine
 * renders them per environment with {@link Template}. {@code notifications} are the {@code notify:} webhooks told
 * how a run ended.
 */
public record Manifest(Path file, int version, Map<String, EnvironmentSpec> environments,
                       Map<String, StoreSpec> stores, Map<String, SecretSpec> secrets,
                       List<Problem> warnings, List<NotifySpec> notifications) {

    /** Environments to run: the named one, or all in manifest order; a manifest without environments has one unnamed. */
    public List<EnvironmentSpec> environmentsFor(String name) {
        if (environments.isEmpty()) {
            return List.of(EnvironmentSpec.NONE);
        }
        if (name == null) {
            return List.copyOf(environments.values());
        }
        EnvironmentSpec env = environments.get(name);
        return env == null ? List.of() : List.of(env);
    }
}
