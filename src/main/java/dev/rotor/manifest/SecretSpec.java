package dev.rotor.manifest;

import java.time.Duration;
import java.util.List;

/**
 * One secret. {@code owner} may be null (a value no system enforces, e.g. a signing secret);
 * {@code journal} is the name of a readable store, already defaulted by the loader to the first readable target's store.
 */
public record SecretSpec(String name, GeneratorSpec generate, Duration maxAge, OwnerSpec owner, String strategy,
                         String journal, List<TargetSpec> targets, List<CheckSpec> verify, Location location) {
}
