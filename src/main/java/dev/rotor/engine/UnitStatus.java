package dev.rotor.engine;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state of one unit for {@code rotor status}: when Rotor last rotated it (null: never), its age (of its oldest
 * copy when Rotor never rotated it), due state, an unfinished rotation and the run whose live
 * lease holds it, per-target update times,
 * and the generator-policy rules that readable values break (the api-forge runbook's {@code --verify}). Names only.
 */
public record UnitStatus(String secret, String environment, Instant rotatedAt, Double ageDays, boolean due,
                         String pendingAfterStep, String leaseHolder, List<TargetAge> targets,
                         List<String> policyViolations, List<Drift> drift) {
    public record TargetAge(String target, Instant updatedAt) {
    }

    /** A copy that disagrees with what Rotor last wrote there, and how. */
    public record Drift(String copy, String problem) {
    }

    /** How far apart a write-only store's update time and Rotor's write may be (clock skew, request time). */
    static final Duration WRITE_TIME_SLACK = Duration.ofMinutes(1);

    /**
     * Reads a unit's state; reads only, never writes. With {@code checkDrift}, every copy is compared with what Rotor
     * last wrote: readable ones by keyed fingerprint, write-only ones (GitHub) by update time; null drift otherwise,
     * and an empty list while a rotation is unfinished or before the first one.
     */
    public static UnitStatus of(Unit unit, Instant now, Output console, boolean checkDrift) {
        JournalRecord record = unit.journal().load(unit.key());
        console.mask(record.pending);
        console.mask(record.current);
        console.mask(record.previous);
        console.mask(record.next);
        record.retiring.forEach(r -> console.mask(r.value));
        List<TargetAge> targets = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<Drift> drift = checkDrift ? new ArrayList<>() : null;
        boolean comparable = checkDrift && record.current != null && record.pending == null;
        // A journal from before fingerprints: a key for this look only; raw copies compare with the current value.
        String key = record.fingerprintKey != null ? record.fingerprintKey : Fingerprints.newKey();
        Instant oldest = record.rotatedAt == null ? null : Instant.parse(record.rotatedAt);
        for (Target target : unit.targets()) {
            // A keyset's per-version copy: the current version's entry, once Rotor knows it.
            Address at = !target.perVersion() ? target.address() : record.currentName == null ? null
                    : target.addressFor(record.currentName, unit.bindings());
            if (at == null) {
                continue;
            }
            Instant updated = target.store().can(Capability.UPDATED_AT)
                    ? target.store().updatedAt(at).orElse(null) : null;
            targets.add(new TargetAge(target.describe(at), updated));
            if (target.valueTemplate() == null && target.store().can(Capability.READABLE)) {
                target.store().read(at).ifPresent(stored -> {
                    target.mask(stored.value(), console);
                    unit.generator().policyViolations(stored.value())
                            .forEach(v -> violations.add(target.describe(at) + ": " + v));
                });
            }
            if (comparable) {
                driftOf(target, at, record, key, updated, console).ifPresent(problem ->
                        drift.add(new Drift(target.describe(at), problem)));
            }
        }
        // A value set before Rotor took over: its age is that of its oldest copy, yet Rotor never rotated it.
        Instant aged = oldest != null ? oldest : targets.stream().map(TargetAge::updatedAt).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
        Double age = aged == null ? null : Duration.between(aged, now).toMinutes() / 1440.0;
        boolean due = record.due(unit.maxAge(), now);
        return new UnitStatus(unit.secret().name(), unit.environment(), oldest, age, due,
                record.pending == null ? null : record.step == null ? "pending" : record.step.label(),
                record.leaseHolder != null && Instant.parse(record.leaseExpires).isAfter(now) ? record.leaseHolder : null,
                targets, violations, drift);
    }

    private static java.util.Optional<String> driftOf(Target target, Address at, JournalRecord record, String key,
                                                      Instant updated, Output console) {
        JournalRecord.Copy copy = record.copies.get(target.describe(at));
        String written = copy == null ? "" : " (Rotor wrote it at " + copy.writtenAt + ")";
        if (target.store().can(Capability.READABLE)) {
            String expected = copy != null ? copy.fingerprint
                    : target.valueTemplate() == null ? Fingerprints.of(key, record.current) : null;
            java.util.Optional<dev.rotor.store.Stored> stored = target.store().read(at);
            if (stored.isEmpty()) {
                return java.util.Optional.of("missing" + written);
            }
            target.mask(stored.get().value(), console);
            return expected != null && !expected.equals(Fingerprints.of(key, stored.get().value()))
                    ? java.util.Optional.of("differs from what Rotor wrote" + written + ": changed outside Rotor")
                    : java.util.Optional.empty();
        }
        if (copy == null || updated == null) {
            return java.util.Optional.empty(); // nothing Rotor wrote to compare with, or the store tells no time
        }
        Instant wrote = Instant.parse(copy.writtenAt);
        if (updated.isAfter(wrote.plus(WRITE_TIME_SLACK))) {
            return java.util.Optional.of("updated at " + updated + ", after Rotor wrote it at " + copy.writtenAt
                    + ": changed outside Rotor");
        }
        if (updated.isBefore(wrote.minus(WRITE_TIME_SLACK))) {
            return java.util.Optional.of("last updated at " + updated + ", before Rotor wrote it at " + copy.writtenAt
                    + ": restored or replaced outside Rotor");
        }
        return java.util.Optional.empty();
    }
}
