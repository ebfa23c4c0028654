package dev.rotor.engine;

import dev.rotor.report.Console;
import dev.rotor.store.Capability;
import dev.rotor.store.Owner;
import dev.rotor.store.PartialWriteException;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;
import dev.rotor.verify.Check;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the seven steps of design.md for each unit, in order, stopping at the first unit that does not finish.
 * Every step after {@code pending} works on the value in the journal, so a re-run after a crash anywhere resumes
 * with the same value; every write is idempotent, so redoing a step is safe.
 */
public final class Engine {
    private final Console console;
    private final Clock clock;
    private final String runId;
    private final Duration lease;
    private final StepHook hook;
    private final String commandPrefix;

    /**
     * @param commandPrefix how the user invokes rotor on this manifest (e.g. {@code rotor --manifest m.yml}), for the
     *                      commands that finish or undo a partial run
     */
    public Engine(Console console, Clock clock, String runId, Duration lease, StepHook hook, String commandPrefix) {
        this.console = console;
        this.clock = clock;
        this.runId = runId;
        this.lease = lease;
        this.hook = hook;
        this.commandPrefix = commandPrefix;
    }

    public enum Mode { ROTATE, DRY_RUN, ONLY_DUE, ROLLBACK }

    public List<UnitResult> run(List<Unit> units, Mode mode) {
        List<UnitResult> results = new ArrayList<>();
        boolean stopped = false;
        for (int i = 0; i < units.size(); i++) {
            Unit unit = units.get(i);
            if (stopped) {
                results.add(new UnitResult(unit.secret().name(), unit.environment(), Outcome.NOT_STARTED, null,
                        "not started: an earlier unit did not finish", null, null, List.of()));
                continue;
            }
            console.progress("[" + (i + 1) + "/" + units.size() + "] " + unit.describe());
            UnitResult result = new UnitRun(unit, mode).run();
            results.add(result);
            stopped = result.outcome().exitCode() != 0;
        }
        return results;
    }

    /** The state of one unit's run. */
    private final class UnitRun {
        private final Unit unit;
        private final Mode mode;
        private final List<TargetResult> targets = new ArrayList<>();
        private JournalRecord record;
        private Step step = Step.PLAN;

        UnitRun(Unit unit, Mode mode) {
            this.unit = unit;
            this.mode = mode;
        }

        UnitResult run() {
            try {
                plan();
                if (mode == Mode.DRY_RUN) {
                    return result(Outcome.PLANNED, null);
                }
                step = Step.PENDING;
                Outcome early = pending();
                if (early != null) {
                    return result(early, null);
                }
                // pending() journaled the value and the lease already; a resumed record keeps its step.
                hook.after(unit.key(), Step.PENDING);
                step = Step.OWNER;
                owner();
                step = Step.TEST;
                test();
                step = Step.DISTRIBUTE;
                distribute();
                step = Step.VERIFY;
                verify();
                step = Step.FINISH;
                finish();
                return result(mode == Mode.ROLLBACK ? Outcome.ROLLED_BACK : Outcome.ROTATED, null);
            } catch (RefusedException e) {
                return result(Outcome.REFUSED, e.getMessage());
            } catch (RuntimeException e) {
                return failed(e);
            }
        }

        private void plan() {
            try {
                unit.journal().preflightStore();
                for (Target target : unit.targets()) {
                    target.store().preflight(List.of(target.address()));
                }
                if (unit.owner() != null) {
                    unit.owner().preflight();
                }
            } catch (StoreException e) {
                throw new RefusedException("preflight: " + Failures.describe(e));
            }
            record = unit.journal().load(unit.key());
            maskJournalValues();
            for (Target target : unit.targets()) {
                targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                        mode == Mode.DRY_RUN ? "would write" : "behind", null));
            }
            if (mode == Mode.DRY_RUN) {
                // The plan is the command's result: stdout, so that it can be piped or diffed.
                console.result(unit.describe() + ": " + (record.pending != null ? "resume the pending value" : "generate")
                        + " -> " + (unit.owner() == null ? "" : "owner " + unit.ownerName() + " -> ")
                        + unit.targets().size() + " targets, " + unit.checks().size() + " checks; journal "
                        + unit.journal().describe());
                unit.targets().forEach(t -> console.result("  would write " + t.describe()
                        + (t.valueTemplate() == null ? "" : " (derived)")));
            }
            hook.after(unit.key(), Step.PLAN);
        }

        /** Returns an outcome when the unit has nothing to do; otherwise journals the pending value first. */
        private Outcome pending() {
            Instant now = clock.instant();
            if (record.leaseHolder != null && !record.leaseHolder.equals(runId)
                    && Instant.parse(record.leaseExpires).isAfter(now)) {
                throw new RefusedException("a rotation of " + unit.describe() + " by run " + record.leaseHolder
                        + " is in progress until " + record.leaseExpires + "; if that run is gone, resume it with "
                        + "--run-id " + record.leaseHolder + " or wait for the lease to expire");
            }
            if (record.idle()) {
                if (mode == Mode.ROLLBACK) {
                    if (record.previous == null) {
                        throw new NothingToDoException("no previous value is journaled for " + unit.describe());
                    }
                    startPending(record.previous, JournalRecord.Kind.RESTORE_PREVIOUS, record.current);
                } else if (runId.equals(record.lastRunId)) {
                    console.progress("  already rotated by run " + runId + ": nothing to write");
                    return Outcome.ALREADY_DONE;
                } else if (mode == Mode.ONLY_DUE && !due(now)) {
                    console.progress("  not due: last rotated " + record.rotatedAt
                            + (unit.maxAge() == null ? ", no max-age" : ", max-age " + unit.maxAge()));
                    return Outcome.NOT_DUE;
                } else {
                    adoptCurrentValue();
                    String value = unit.generator().generate();
                    console.mask(value);
                    startPending(value, JournalRecord.Kind.ROTATE, record.current);
                }
                console.progress("  pending value journaled in " + unit.journal().describe());
            } else if (mode == Mode.ROLLBACK) {
                // Undo an unfinished rotation: the current value goes back everywhere, the pending one is retired.
                startPending(record.current, JournalRecord.Kind.RESTORE_CURRENT, record.pending);
                console.progress("  rolling back the unfinished rotation");
            } else {
                console.progress("  resuming the pending value from " + unit.journal().describe()
                        + " (after step " + (record.step == null ? "pending" : record.step.label()) + ")");
            }
            record.leaseHolder = runId;
            record.leaseExpires = now.plus(lease).toString();
            try {
                unit.journal().save(record);
            } catch (StoreException e) {
                if (e.kind() == StoreException.Kind.CONFLICT) {
                    // Another run wrote the journal between our read and this write: it owns the rotation now.
                    record.pending = null;
                    throw new RefusedException("another run changed the journal of " + unit.describe()
                            + " meanwhile; nothing was done here, see that run or re-run");
                }
                throw e;
            }
            return null;
        }

        private void startPending(String value, JournalRecord.Kind kind, String replacing) {
            if (value == null) {
                throw new NothingToDoException("no value is journaled to restore for " + unit.describe());
            }
            record.pending = value;
            record.kind = kind;
            record.replacing = replacing;
            record.pendingRunId = runId;
            record.pendingSince = clock.instant().toString();
            record.step = Step.PENDING;
        }

        /** On a first rotation the journal has no current value yet: the first readable raw copy is it. */
        private void adoptCurrentValue() {
            if (record.current != null) {
                return;
            }
            for (Target target : unit.targets()) {
                if (target.valueTemplate() == null && target.store().can(Capability.READABLE)) {
                    Optional<Stored> stored = target.store().read(target.address());
                    if (stored.isPresent()) {
                        console.mask(stored.get().value());
                        record.current = stored.get().value();
                        return;
                    }
                }
            }
        }

        /** Due when Rotor never rotated it, or when its last rotation is max-age old; without max-age, never again. */
        private boolean due(Instant now) {
            if (record.rotatedAt == null) {
                return true;
            }
            return unit.maxAge() != null && !Instant.parse(record.rotatedAt).plus(unit.maxAge()).isAfter(now);
        }

        private void owner() {
            Owner owner = unit.owner();
            if (owner != null && record.step.compareTo(Step.OWNER) < 0) {
                unit.strategy().accept(owner, record.pending, record.replacing);
                console.progress("  owner " + unit.ownerName() + " accepts the new value");
                done(Step.OWNER);
            }
            hook.after(unit.key(), Step.OWNER);
        }

        private void test() {
            if (unit.owner() != null) {
                Optional<String> skipped = unit.owner().test(record.pending);
                console.progress("  owner " + unit.ownerName() + (skipped.isEmpty() ? ": login with the new value works"
                        : ": login test skipped: " + skipped.get()));
            }
            hook.after(unit.key(), Step.TEST);
        }

        private void distribute() {
            targets.clear();
            for (int i = 0; i < unit.targets().size(); i++) {
                Target target = unit.targets().get(i);
                String value = target.valueFor(record.pending, unit.bindings());
                console.mask(value);
                Written written;
                try {
                    written = target.store().write(target.address(), value);
                } catch (PartialWriteException e) {
                    targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                            "partial", null, e.written(), e.failed()));
                    markBehind(i + 1);
                    throw e;
                } catch (RuntimeException e) {
                    markBehind(i);
                    throw e;
                }
                if (written.version() != null) {
                    record.versions.put(target.describe(), written.version());
                }
                targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                        written.changed() ? "written" : "unchanged", written.version()));
                console.progress("  " + (i + 1) + "/" + unit.targets().size() + " " + target.describe() + ": "
                        + (written.changed() ? "written" : "already holds it"));
            }
            done(Step.DISTRIBUTE);
        }

        /** Targets from {@code first} on were not written by this run. */
        private void markBehind(int first) {
            for (Target target : unit.targets().subList(first, unit.targets().size())) {
                targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                        "behind", null));
            }
        }

        private void verify() {
            for (Check check : unit.checks()) {
                check.run(record.pending);
                console.progress("  verified: " + check.describe());
            }
            // Not journaled: finish follows at once, and a resume verifies again anyway.
            hook.after(unit.key(), Step.VERIFY);
        }

        private void finish() {
            if (unit.owner() != null) {
                unit.strategy().retire(unit.owner(), record.replacing, record.pending);
            }
            if (record.kind != JournalRecord.Kind.RESTORE_CURRENT && !Objects.equals(record.current, record.pending)) {
                record.previous = record.current;
            }
            record.current = record.pending;
            record.pending = null;
            record.kind = null;
            record.replacing = null;
            record.pendingRunId = null;
            record.pendingSince = null;
            record.step = null;
            record.leaseHolder = null;
            record.leaseExpires = null;
            record.lastRunId = runId;
            record.rotatedAt = clock.instant().toString();
            unit.journal().save(record);
            console.progress("  done: " + unit.journal().describe() + " holds it as current, the old value as previous");
            hook.after(unit.key(), Step.FINISH);
        }

        /** Records a completed step in the journal (the lease is renewed with it), then lets tests crash here. */
        private void done(Step completed) {
            record.step = completed;
            record.leaseExpires = clock.instant().plus(lease).toString();
            unit.journal().save(record);
            hook.after(unit.key(), completed);
        }

        private void maskJournalValues() {
            console.mask(record.pending);
            console.mask(record.current);
            console.mask(record.previous);
            console.mask(record.replacing);
        }

        private UnitResult failed(RuntimeException e) {
            String reason = Failures.describe(e);
            if (e instanceof NothingToDoException || record == null || record.pending == null || step.compareTo(Step.OWNER) < 0) {
                Outcome outcome = e instanceof Planner.PlanException || e instanceof dev.rotor.generate.GenerationException
                        ? Outcome.INVALID : Outcome.FAILED;
                return result(outcome, step.label() + ": " + reason);
            }
            // A value is journaled and some system may hold it: leave it resumable, free the lease for the re-run.
            try {
                record.leaseHolder = null;
                record.leaseExpires = null;
                unit.journal().save(record);
            } catch (RuntimeException ignored) {
                // The lease then expires by itself; the journal still holds the pending value.
            }
            return result(Outcome.PARTIAL, step.label() + ": " + reason);
        }

        private UnitResult result(Outcome outcome, String message) {
            String finish = null;
            String rollback = null;
            if (outcome == Outcome.PARTIAL) {
                String selector = " --secret " + unit.secret().name()
                        + (unit.environment().isEmpty() ? "" : " --environment " + unit.environment());
                finish = commandPrefix + " rotate" + selector;
                rollback = commandPrefix + " rollback" + selector;
                message = message + "; the new value is journaled in " + unit.journal().describe()
                        + ". Finish with: " + finish + " | undo with: " + rollback;
            }
            return new UnitResult(unit.secret().name(), unit.environment(), outcome,
                    outcome.exitCode() == 0 ? null : step, message, finish, rollback, List.copyOf(targets));
        }
    }

    /** Preflight refused, or another run holds the lease (exit 4). */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** A rollback with nothing to restore (exit 1). */
    static final class NothingToDoException extends RuntimeException {
        NothingToDoException(String message) {
            super(message);
        }
    }
}
