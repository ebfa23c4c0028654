package dev.rotor.engine;

import dev.rotor.generate.Generator;
import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.SecretSpec;
import dev.rotor.store.Owner;
import dev.rotor.verify.Check;

import java.time.Duration;
import java.util.List;

/** One secret in one environment, fully resolved before anything runs: the unit of rotation. */
public record Unit(SecretSpec secret, String environment, Bindings bindings, Generator generator, Owner owner,
                   String ownerName, Strategy strategy, Journal journal, List<Target> targets, List<Check> checks,
                   Hooks hooks) {
    /** The secret's hooks, ready to run: {@code before} the owner step, {@code after} distribution; either null. */
    public record Hooks(Check before, Check after) {
    }

    /** The journal key: {@code secret} or {@code secret.environment}. */
    public String key() {
        return environment.isEmpty() ? secret.name() : secret.name() + "." + environment;
    }

    public String describe() {
        return environment.isEmpty() ? secret.name() : secret.name() + " (" + environment + ")";
    }

    public Duration maxAge() {
        return secret.maxAge();
    }
}
