package dev.rotor.engine;

import dev.rotor.manifest.SecretValue;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one unit for {@code rotor status}: age, due state, an unfinished rotation and the run whose live
 * lease holds it, per-target update times,
 * and the generator-policy rules that readable values break (the api-forge runbook's {@code --verify}). Names only.
 */
public record UnitStatus(String secret, String environment, Instant rotatedAt, Double ageDays, boolean due,
                         String pendingAfterStep, String leaseHolder, List<TargetAge> targets,
                         List<String> policyViolations) {
    public record TargetAge(String target, Instant updatedAt) {
    }

    /** Reads a unit's state; reads only, never writes. */
    public static UnitStatus of(Unit unit, Instant now, Output console) {
        JournalRecord record = unit.journal().load(unit.key());
        console.mask(record.pending);
        console.mask(record.current);
        console.mask(record.previous);
        console.mask(record.next);
        record.retiring.forEach(r -> console.mask(r.value));
        List<TargetAge> targets = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        Instant oldest = record.rotatedAt == null ? null : Instant.parse(record.rotatedAt);
        for (Target target : unit.targets()) {
            // A keyset's per-version copy: the current version's entry, once Rotor knows it.
            Address at = !target.perVersion() ? target.address() : record.currentName == null ? null
                    : target.addressFor(new SecretValue("", Map.of(unit.strategy().nameField(), record.currentName)),
                    unit.bindings());
            if (at == null) {
                continue;
            }
            Instant updated = target.store().can(Capability.UPDATED_AT)
                    ? target.store().updatedAt(at).orElse(null) : null;
            targets.add(new TargetAge(target.describe(at), updated));
            if (target.valueTemplate() == null && target.store().can(Capability.READABLE)) {
                target.store().read(at).ifPresent(stored -> {
                    console.mask(stored.value());
                    unit.generator().policyViolations(stored.value())
                            .forEach(v -> violations.add(target.describe(at) + ": " + v));
                });
            }
        }
        if (oldest == null) {
            oldest = targets.stream().map(TargetAge::updatedAt).filter(Objects::nonNull)
                    .min(Instant::compareTo).orElse(null);
        }
        Double age = oldest == null ? null : Duration.between(oldest, now).toMinutes() / 1440.0;
        boolean due = record.due(unit.maxAge(), now);
        return new UnitStatus(unit.secret().name(), unit.environment(), oldest, age, due,
                record.pending == null ? null : record.step == null ? "pending" : record.step.label(),
                record.leaseHolder != null && Instant.parse(record.leaseExpires).isAfter(now) ? record.leaseHolder : null,
                targets, violations);
    }
}
