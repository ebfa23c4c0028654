package dev.rotor.engine;

import dev.rotor.manifest.Durations;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Owner;
import dev.rotor.store.PartialWriteException;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;
import dev.rotor.verify.Check;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the seven steps of design.md for each unit, in order, stopping at the first unit that does not finish.
 * Every step after {@code pending} works on the value in the journal, so a re-run after a crash anywhere resumes
 * with the same value; every write is idempotent, so redoing a step is safe.
 */
public final class Engine {
    private final Output console;
    private final Clock clock;
    private final String runId;
    private final Duration lease;
    private final StepHook hook;
    private final Advice advice;

    /** @param advice how to tell the user to finish or undo what a run leaves unfinished */
    public Engine(Output console, Clock clock, String runId, Duration lease, StepHook hook, Advice advice) {
        this.console = console;
        this.clock = clock;
        this.runId = runId;
        this.lease = lease;
        this.hook = hook;
        this.advice = advice;
    }

    /** {@code RESUME} finishes unfinished rotations only and starts none. */
    public enum Mode { ROTATE, DRY_RUN, ONLY_DUE, RESUME, ROLLBACK }

    /**
     * Plans every unit first (preflight, journal, lease), so that a refusal anywhere leaves everything untouched;
     * then runs the units in order and stops at the first one that does not finish.
     */
    public List<UnitResult> run(List<Unit> units, Mode mode) {
        if (mode != Mode.DRY_RUN) {
            console.progress("run " + runId + ": " + scope(units));
        }
        List<UnitRun> runs = units.stream().map(unit -> new UnitRun(unit, mode)).toList();
        List<UnitResult> planned = new ArrayList<>();
        UnitRun blocking = null;
        for (UnitRun run : runs) {
            UnitResult refused = run.plan();
            planned.add(refused);
            if (refused != null && blocking == null) {
                blocking = run;
            }
        }
        List<UnitResult> results = new ArrayList<>();
        if (blocking != null || mode == Mode.DRY_RUN) {
            String why = blocking == null ? null : "not started: " + blocking.unit.describe() + " could not start, "
                    + "so this run changed nothing";
            for (int i = 0; i < runs.size(); i++) {
                results.add(planned.get(i) != null ? planned.get(i)
                        : blocking == null ? runs.get(i).result(Outcome.PLANNED, null) : runs.get(i).notStarted(why));
            }
            return results;
        }
        String stoppedBy = null;
        for (int i = 0; i < runs.size(); i++) {
            UnitRun run = runs.get(i);
            if (stoppedBy != null) {
                results.add(run.notStarted("not started: " + stoppedBy + " did not finish"));
                continue;
            }
            console.progress("[" + (i + 1) + "/" + runs.size() + "] " + run.unit.describe());
            UnitResult result = run.execute();
            results.add(result);
            if (result.outcome().exitCode() != 0) {
                stoppedBy = run.unit.describe();
            }
        }
        return results;
    }

    /** {@code 3 secrets, 2 environments}: what a run covers, for its first line. */
    private static String scope(List<Unit> units) {
        long secrets = units.stream().map(u -> u.secret().name()).distinct().count();
        long environments = units.stream().map(Unit::environment).filter(e -> !e.isEmpty()).distinct().count();
        return secrets + " secret" + (secrets == 1 ? "" : "s")
                + (environments == 0 ? "" : ", " + environments + " environment" + (environments == 1 ? "" : "s"));
    }

    /** The state of one unit's run. */
    private final class UnitRun {
        private final Unit unit;
        private final Mode mode;
        private final List<TargetResult> targets = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private JournalRecord record;
        private Step step = Step.PLAN;

        UnitRun(Unit unit, Mode mode) {
            this.unit = unit;
            this.mode = mode;
        }

        /** Step 1 for this unit; returns its result when it cannot go on (refused or failed), else null. */
        UnitResult plan() {
            try {
                preflight();
                return null;
            } catch (RefusedException e) {
                return result(Outcome.REFUSED, e.getMessage());
            } catch (RuntimeException e) {
                return failed(e);
            }
        }

        /** Steps 2 to 7, after every unit of the run was planned. */
        UnitResult execute() {
            try {
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

        UnitResult notStarted(String why) {
            return new UnitResult(unit.secret().name(), unit.environment(), Outcome.NOT_STARTED, null, why, null, null,
                    List.of(), List.of());
        }

        private void preflight() {
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
            String holder = liveLeaseHolder();
            if (holder != null && mode != Mode.DRY_RUN) {
                throw heldBy(holder);
            }
            for (Target target : unit.targets()) {
                targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                        mode == Mode.DRY_RUN ? "would write" : "behind", null));
            }
            if (mode == Mode.DRY_RUN) {
                // The plan is the command's result: stdout, so that it can be piped or diffed.
                console.result(unit.describe() + ": " + (record.pending != null ? "resume the pending value" : "generate")
                        + " -> " + (unit.owner() == null ? "" : "owner " + unit.ownerName() + " -> ")
                        + unit.targets().size() + " targets, " + unit.checks().size() + " checks; journal "
                        + unit.journal().describe()
                        + (holder == null ? "" : "; held by run " + holder + " until " + record.leaseExpires));
                unit.targets().forEach(t -> console.result("  would write " + t.describe()
                        + (t.valueTemplate() == null ? "" : " (derived)")));
                Optional.ofNullable(unit.owner()).flatMap(Owner::consumerImpact)
                        .ifPresent(impact -> console.result("  owner " + unit.ownerName() + ": " + impact));
            }
            hook.after(unit.key(), Step.PLAN);
        }

        /** The run holding this unit's lease, when it is another run and the lease has not expired; else null. */
        private String liveLeaseHolder() {
            if (record.leaseHolder != null && !record.leaseHolder.equals(runId)
                    && Instant.parse(record.leaseExpires).isAfter(clock.instant())) {
                return record.leaseHolder;
            }
            return null;
        }

        private RefusedException heldBy(String holder) {
            return new RefusedException(unit.describe() + " is held by run " + holder + " until "
                    + record.leaseExpires + " (a rotation in progress); this run changed nothing. If run " + holder
                    + " is gone, finish what it left with: " + advice.takeOver(holder));
        }

        /** Returns an outcome when the unit has nothing to do; otherwise journals the pending value first. */
        private Outcome pending() {
            Instant now = clock.instant();
            if (record.idle()) {
                if (mode == Mode.ROLLBACK) {
                    if (record.previous == null) {
                        throw new NothingToDoException("no previous value is journaled for " + unit.describe()
                                + ": Rotor has not rotated it since it first took it over");
                    }
                    startPending(record.previous, JournalRecord.Kind.RESTORE_PREVIOUS, record.current);
                    console.progress("  restoring the previous value, journaled in " + unit.journal().describe());
                } else if (runId.equals(record.lastRunId)) {
                    console.progress("  already rotated by run " + runId + ": nothing to write");
                    return Outcome.ALREADY_DONE;
                } else if (mode == Mode.RESUME) {
                    console.progress("  nothing to resume: no unfinished rotation");
                    return Outcome.NOTHING_PENDING;
                } else if (mode == Mode.ONLY_DUE && !record.due(unit.maxAge(), now)) {
                    console.progress("  not due: last rotated " + record.rotatedAt + (unit.maxAge() == null
                            ? ", no max-age" : ", max-age " + Durations.format(unit.maxAge())));
                    return Outcome.NOT_DUE;
                } else {
                    adoptCurrentValue();
                    String value = unit.generator().generate();
                    console.mask(value);
                    startPending(value, JournalRecord.Kind.ROTATE, record.current);
                    console.progress("  pending value journaled in " + unit.journal().describe());
                }
            } else if (mode == Mode.ROLLBACK && record.kind == JournalRecord.Kind.ROTATE) {
                if (record.current == null) {
                    return dropFirstRotation();
                }
                // Undo an unfinished rotation: the value from before it goes back everywhere, the pending one is retired.
                startPending(record.current, JournalRecord.Kind.RESTORE_CURRENT, record.pending);
                console.progress("  undoing the unfinished rotation: restoring the value from before it");
            } else {
                // An unfinished rotation or rollback (by any command) is finished as it was started.
                String leftBy = record.pendingRunId == null || record.pendingRunId.equals(runId) ? ""
                        : " left by run " + record.pendingRunId;
                console.progress("  finishing the unfinished " + (record.kind == JournalRecord.Kind.ROTATE ? "rotation"
                        : "rollback") + leftBy + " with its value journaled in "
                        + unit.journal().describe() + " (after step "
                        + (record.step == null ? "pending" : record.step.label()) + ")");
            }
            record.leaseHolder = runId;
            record.leaseExpires = now.plus(lease).toString();
            saveOrRefuse();
            if (record.kind == JournalRecord.Kind.RESTORE_CURRENT) {
                stagedTargets().forEach(t -> t.store().unstage(t.address()));
            }
            for (Target target : stagedTargets()) {
                String value = target.valueFor(record.pending, unit.bindings());
                console.mask(value);
                target.store().stage(target.address(), value);
            }
            return null;
        }

        /** Targets whose store shows a staged value (AWSPENDING) from the pending step until it is written. */
        private List<Target> stagedTargets() {
            return unit.targets().stream().filter(t -> t.store().can(Capability.STAGE)).toList();
        }

        /**
         * Rolls back a first rotation that did not finish: Rotor knew no earlier value (the targets were empty or
         * unreadable), so there is nothing to put back; the pending value is dropped from the journal.
         */
        private Outcome dropFirstRotation() {
            boolean reachedOthers = record.step != null && record.step.compareTo(Step.PENDING) > 0;
            record.endPending();
            saveOrRefuse();
            stagedTargets().forEach(t -> t.store().unstage(t.address()));
            String note = "no earlier value was known to restore (this was the first rotation); the pending value was "
                    + "dropped from " + unit.journal().describe() + (reachedOthers
                    ? ", and the owner and the targets it reached keep it until the next rotation" : "");
            notes.add(note);
            console.progress("  " + note);
            return Outcome.ROLLED_BACK;
        }

        /** Saves the record; when another run wrote it since it was read, refuses (exit 4) naming that run. */
        private void saveOrRefuse() {
            try {
                unit.journal().save(record);
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.CONFLICT) {
                    throw e;
                }
                // Another run wrote the journal between our read and this write: it owns the rotation now.
                record = unit.journal().load(unit.key());
                String holder = record.leaseHolder != null ? record.leaseHolder : record.lastRunId;
                throw new RefusedException("run " + (holder == null ? "(unknown)" : holder) + " changed the journal of "
                        + unit.describe() + " meanwhile; this run changed nothing there"
                        + (record.leaseHolder == null ? "" : ". If run " + holder + " is gone, finish what it left "
                        + "with: " + advice.takeOver(holder)));
            }
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
                skipped.ifPresent(why -> notes.add("login test skipped: " + why));
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
            restartConsumers();
            done(Step.DISTRIBUTE);
        }

        /**
         * Consumers read the new values only once restarted or re-synced: each store that can restart them is asked
         * once, with every address of this unit it holds, before verification.
         */
        private void restartConsumers() {
            Map<Store, List<Address>> byStore = new LinkedHashMap<>();
            for (Target target : unit.targets()) {
                if (target.store().can(Capability.RESTART)) {
                    byStore.computeIfAbsent(target.store(), s -> new ArrayList<>()).add(target.address());
                }
            }
            byStore.forEach(Store::restart);
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
            JournalRecord.Kind kind = record.kind;
            if (kind != JournalRecord.Kind.RESTORE_CURRENT && !Objects.equals(record.current, record.pending)) {
                record.previous = record.current;
            }
            record.current = record.pending;
            record.endPending();
            record.lastRunId = runId;
            record.rotatedAt = clock.instant().toString();
            unit.journal().save(record);
            console.progress("  done: " + switch (kind == null ? JournalRecord.Kind.ROTATE : kind) {
                case ROTATE -> unit.journal().describe() + " holds the new value as current" + (record.previous == null
                        ? "; no earlier value was known, so there is none to roll back to" : ", the old one as previous");
                case RESTORE_PREVIOUS -> "the previous value is current again in " + unit.journal().describe()
                        + ", the rolled-back one kept as previous";
                case RESTORE_CURRENT -> "the unfinished rotation is undone; " + unit.journal().describe()
                        + " holds the value from before it as current";
            });
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
                finish = advice.finish(unit, runId);
                rollback = advice.rollback(unit, runId);
                boolean restoring = record.kind != null && record.kind != JournalRecord.Kind.ROTATE;
                message = message + "; the " + (restoring ? "value to restore" : "new value") + " is journaled in "
                        + unit.journal().describe() + ". Finish with: " + finish
                        + (restoring ? "" : " | undo with: " + rollback);
            }
            return new UnitResult(unit.secret().name(), unit.environment(), outcome,
                    outcome.exitCode() == 0 ? null : step, message, finish, rollback, List.copyOf(targets),
                    List.copyOf(notes));
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
