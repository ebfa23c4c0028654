package dev.rotor.engine;

import dev.rotor.manifest.Durations;
import dev.rotor.manifest.Plural;
import dev.rotor.manifest.SecretValue;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Owner;
import dev.rotor.store.PartialWriteException;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;
import dev.rotor.verify.Check;
import dev.rotor.verify.CheckFailedException;

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
    private final Options options;

    /**
     * @param advice  how to tell the user to finish or undo what a run leaves unfinished
     * @param options emergency and the downtime probe
     */
    public Engine(Output console, Clock clock, String runId, Duration lease, StepHook hook, Advice advice,
                  Options options) {
        this.console = console;
        this.clock = clock;
        this.runId = runId;
        this.lease = lease;
        this.hook = hook;
        this.advice = advice;
        this.options = options;
    }

    /**
     * @param emergency no grace for any strategy: every replaced user, password or key stops working in this run
     *                  (rotate --emergency, a compromised credential)
     * @param probe     every unit with an owner is probed at this interval (rotate --probe); null: only owners whose
     *                  manifest says {@code probe: true}
     */
    public record Options(boolean emergency, Duration probe) {
        public static final Options NONE = new Options(false, null);
    }

    /** How often the probe logs in when the manifest asks for it: "every few milliseconds". */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(5);

    /** {@code RESUME} finishes unfinished rotations only and starts none. */
    public enum Mode { ROTATE, DRY_RUN, ONLY_DUE, RESUME, ROLLBACK, REPAIR }

    /** The unit being executed, for the shutdown hook that says what a signal interrupted. */
    private volatile UnitRun running;

    /**
     * Plans every unit first (preflight, journal, lease), so that a refusal anywhere leaves everything untouched;
     * then runs the units in order and stops at the first one that does not finish.
     */
    public List<UnitResult> run(List<Unit> units, Mode mode) {
        try {
            return runUnits(units, mode);
        } finally {
            // An owner keeps its admin connection for the run (one login, not one per step): released here.
            units.stream().map(Unit::owner).filter(Objects::nonNull).distinct().forEach(Owner::close);
        }
    }

    private List<UnitResult> runUnits(List<Unit> units, Mode mode) {
        if (mode != Mode.DRY_RUN) {
            console.progress("run " + runId + ": " + scope(units) + (options.emergency()
                    ? " (emergency: no grace; every replaced user, password and key stops working in this run)" : ""));
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
        Thread signalled = new Thread(() -> {
            UnitRun interrupted = running;
            if (interrupted != null) {
                interrupted.stoppedBySignal();
            }
        }, "rotor-stopped-by-signal");
        Runtime.getRuntime().addShutdownHook(signalled);
        try {
            for (int i = 0; i < runs.size(); i++) {
                UnitRun run = runs.get(i);
                if (stoppedBy != null) {
                    results.add(run.notStarted("not started: " + stoppedBy + " did not finish"));
                    continue;
                }
                console.progress("[" + (i + 1) + "/" + runs.size() + "] " + run.unit.describe());
                running = run;
                UnitResult result = run.execute();
                running = null;
                results.add(result);
                if (result.outcome().exitCode() != 0) {
                    stoppedBy = run.unit.describe();
                }
            }
        } finally {
            running = null;
            try {
                Runtime.getRuntime().removeShutdownHook(signalled);
            } catch (IllegalStateException exiting) {
                // the JVM is already shutting down: the hook runs or has run
            }
        }
        return results;
    }

    /** {@code 3 secrets, 2 environments}: what a run covers, for its first line. */
    private static String scope(List<Unit> units) {
        long secrets = units.stream().map(u -> u.secret().name()).distinct().count();
        long environments = units.stream().map(Unit::environment).filter(e -> !e.isEmpty()).distinct().count();
        return Plural.count(secrets, "secret")
                + (environments == 0 ? "" : ", " + Plural.count(environments, "environment"));
    }

    /** The state of one unit's run. */
    private final class UnitRun {
        private final Unit unit;
        private final Mode mode;
        private final List<TargetResult> targets = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private JournalRecord record;
        private Step step = Step.PLAN;
        private Probe probe;
        private ProbeResult probed;

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
                if (record.idle()) {
                    // What an earlier run left in grace is removed when its grace ends, whether or not anything is due.
                    retireDue(true);
                }
                Outcome early = pending();
                if (early != null) {
                    targets.clear(); // nothing was to be written: none of them is behind
                    return result(early, null);
                }
                // pending() journaled the value and the lease already; a resumed record keeps its step.
                hook.after(unit.key(), Step.PENDING);
                startProbe();
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
                return result(mode == Mode.ROLLBACK ? Outcome.ROLLED_BACK : mode == Mode.REPAIR ? Outcome.REPAIRED
                        : Outcome.ROTATED, null);
            } catch (RefusedException e) {
                return result(Outcome.REFUSED, e.getMessage());
            } catch (RemovalIncompleteException e) {
                // Rotated and journaled, but an old credential an emergency must end still works: not done.
                return result(Outcome.PARTIAL, step.label() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                return failed(e);
            } finally {
                stopProbe(); // also when a test's simulated crash (an Error) ends the run
            }
        }

        /**
         * With {@code --probe}, or {@code probe: true} on the owner: logs in as consumers would, from the value they
         * hold now (the one being replaced, or the new one when a resumed run had written the targets already).
         */
        private void startProbe() {
            if (unit.owner() == null && options.probe() != null) {
                // --probe asked for every unit: say why this one has no figure rather than print nothing
                probed = new ProbeResult(0, 0, 0, "no owner: no login to probe");
                console.progress("  probe: " + probed.describe());
                return;
            }
            Object asked = unit.owner() == null ? null : unit.secret().owner().options().get("probe");
            Duration interval = unit.owner() == null ? null : options.probe() != null ? options.probe()
                    : "true".equals(String.valueOf(asked)) ? PROBE_INTERVAL : null;
            if (interval == null) {
                return;
            }
            boolean written = record.step != null && record.step.compareTo(Step.DISTRIBUTE) >= 0;
            probe = Probe.start(unit.owner(), written ? new Probe.Credential(record.pendingName, record.pending)
                    : new Probe.Credential(record.replacingName, record.replacing), interval);
            if (probe == null) {
                probed = new ProbeResult(0, 0, 0, "the value consumers held before this rotation is unknown");
                console.progress("  probe: " + probed.describe());
            }
        }

        private void stopProbe() {
            if (probe != null) {
                probed = probe.stop();
                probe = null;
                console.progress("  probe: " + probed.describe());
            }
        }

        UnitResult notStarted(String why) {
            return new UnitResult(unit.secret().name(), unit.environment(), Outcome.NOT_STARTED, null, why, null, null,
                    List.of(), List.of(), null);
        }

        private void preflight() {
            try {
                unit.journal().preflightStore();
                for (Target target : unit.targets()) {
                    target.store().preflight(List.of(target.address()));
                }
            } catch (StoreException e) {
                throw new RefusedException("preflight: " + Failures.describe(e));
            }
            record = unit.journal().load(unit.key());
            maskJournalValues();
            try {
                if (unit.owner() != null) {
                    // Alternating users: the user in use now is the journal's, not the one the manifest started from.
                    unit.owner().preflight(unit.strategy().named() ? record.currentName : null);
                }
            } catch (StoreException e) {
                throw new RefusedException("preflight: " + Failures.describe(e));
            }
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
                        + Plural.count(unit.targets().size(), "target") + ", "
                        + Plural.count(unit.checks().size(), "check") + "; journal "
                        + unit.journal().describe()
                        + (holder == null ? "" : "; held by run " + holder + " until " + record.leaseExpires));
                unit.targets().forEach(t -> console.result("  would write " + t.describe()
                        + (t.valueTemplate() == null ? "" : " (derived)")));
                Optional.ofNullable(unit.hooks().before()).ifPresent(h -> console.result("  hook before the owner: "
                        + h.describe()));
                Optional.ofNullable(unit.hooks().after()).ifPresent(h -> console.result("  hook after the copies: "
                        + h.describe()));
                Optional.ofNullable(unit.owner()).flatMap(Owner::consumerImpact)
                        .ifPresent(impact -> console.result("  owner " + unit.ownerName() + ": " + impact));
                planNames();
            }
            hook.after(unit.key(), Step.PLAN);
        }

        /** A dry run says which user or key a rotation creates, and what is in grace and when it goes. */
        private void planNames() {
            Strategy strategy = unit.strategy();
            if (strategy.named() && record.idle()) {
                String current = activeName();
                console.result("  next " + strategy.nameField() + ": " + strategy.nextName(unit, current)
                        + (current == null ? "" : " (replacing " + current + ", kept " + grace() + ")"));
            }
            for (JournalRecord.Retiring r : record.retiring) {
                boolean due = options.emergency() || !Instant.parse(r.after).isAfter(clock.instant());
                console.result("  " + (due ? "would remove " : "in grace: ") + strategy.nameField() + " " + r.name
                        + (due ? "" : " until " + r.after) + (r.heldBack == null ? "" : " (held back: " + r.heldBack + ")"));
            }
        }

        /** How long a replaced user or key keeps working, as the plan says it. */
        private String grace() {
            Duration grace = unit.secret().grace();
            return options.emergency() ? "no grace (emergency)" : grace == null || grace.isZero()
                    ? "until the end of the rotation" : Durations.format(grace) + " after it";
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
            // Said only once the journal holds it: a journal that cannot be written must not be claimed.
            String journaled = null;
            if (record.idle()) {
                if (mode == Mode.ROLLBACK) {
                    if (record.previous == null) {
                        throw new NothingToDoException("no previous value is journaled for " + unit.describe()
                                + ": Rotor has not rotated it since it first took it over");
                    }
                    startPending(record.previous, record.previousName, JournalRecord.Kind.RESTORE_PREVIOUS,
                            record.current, record.currentName);
                    console.progress("  restoring the previous value, journaled in " + unit.journal().describe());
                } else if (mode == Mode.REPAIR) {
                    if (record.current == null) {
                        throw new NothingToDoException("nothing to repair for " + unit.describe() + ": Rotor has not "
                                + "rotated it yet, so no value is journaled to write back");
                    }
                    startPending(record.current, record.currentName, JournalRecord.Kind.REPAIR,
                            record.current, record.currentName);
                    console.progress("  writing the current value, journaled in " + unit.journal().describe()
                            + ", to the owner and every copy again");
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
                    String name = unit.strategy().named() ? unit.strategy().nextName(unit, record.currentName) : null;
                    refuseIfInGrace(name);
                    // dual-password's prepared NEXT is already in the NEXT copies and accepted: it is promoted now.
                    String value = record.next != null ? record.next : unit.generator().generate();
                    console.mask(value);
                    journaled = "  " + (record.next != null ? "promoting the prepared NEXT value, " : "pending ")
                            + (name == null ? "value" : unit.strategy().nameField() + " " + name + " and its value")
                            + " journaled in " + unit.journal().describe();
                    record.next = null;
                    startPending(value, name, JournalRecord.Kind.ROTATE, record.current, record.currentName);
                }
            } else if (mode == Mode.ROLLBACK && record.kind == JournalRecord.Kind.ROTATE) {
                if (record.current == null) {
                    return dropFirstRotation();
                }
                // Undo an unfinished rotation: the value from before it goes back everywhere, the pending one is retired.
                startPending(record.current, record.currentName, JournalRecord.Kind.RESTORE_CURRENT, record.pending,
                        record.pendingName);
                console.progress("  undoing the unfinished rotation: restoring the value from before it");
            } else {
                // An unfinished rotation or rollback (by any command) is finished as it was started.
                String leftBy = record.pendingRunId == null || record.pendingRunId.equals(runId) ? ""
                        : " left by run " + record.pendingRunId;
                console.progress("  finishing the unfinished " + (record.kind == JournalRecord.Kind.ROTATE ? "rotation"
                        : record.kind == JournalRecord.Kind.REPAIR ? "repair" : "rollback") + leftBy + " with its value journaled in "
                        + unit.journal().describe() + " (after step "
                        + (record.step == null ? "pending" : record.step.label()) + ")");
            }
            record.leaseHolder = runId;
            record.leaseExpires = now.plus(lease).toString();
            saveOrRefuse();
            if (journaled != null) {
                console.progress(journaled);
            }
            if (record.kind == JournalRecord.Kind.RESTORE_CURRENT) {
                stagedTargets().forEach(t -> t.store().unstage(t.address()));
            }
            for (Target target : stagedTargets()) {
                String value = target.valueFor(secretValue(record.pending, record.pendingName), unit.bindings());
                target.mask(value, console);
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

        /**
         * A rotation may not create a user or key that is still in its grace period: consumers may still use it.
         * In an emergency every grace ended before this point.
         */
        private void refuseIfInGrace(String name) {
            for (JournalRecord.Retiring r : record.retiring) {
                if (r.name.equals(name) && !options.emergency()) {
                    throw new RefusedException(unit.describe() + ": the next " + unit.strategy().nameField() + " '"
                            + name + "' is still in its grace period until " + r.after + " (replaced by run "
                            + r.replacedBy + (r.heldBack == null ? "" : "; held back: " + r.heldBack) + "); this run "
                            + "changed nothing. Rotate after that, or with --emergency to end it now");
                }
            }
        }

        private void startPending(String value, String name, JournalRecord.Kind kind, String replacing,
                                  String replacingName) {
            if (value == null) {
                throw new NothingToDoException("no value is journaled to restore for " + unit.describe());
            }
            record.pending = value;
            record.pendingName = name;
            record.kind = kind;
            record.replacing = replacing;
            record.replacingName = replacingName;
            record.pendingRunId = runId;
            record.pendingSince = clock.instant().toString();
            record.step = Step.PENDING;
        }

        /**
         * On a first rotation the journal has no current value yet: the first readable raw copy (a CURRENT one before
         * a NEXT one) is it. A named credential's first name is the owner's user, or a keyset's active key id read
         * from the copy that holds {@code ${secret.kid}}.
         */
        private void adoptCurrentValue() {
            if (unit.strategy().named() && record.currentName == null) {
                record.currentName = activeName();
            }
            if (record.current != null) {
                return;
            }
            for (Target target : consumersFirst()) {
                if (target.valueTemplate() != null || !target.store().can(Capability.READABLE)
                        || target.perVersion() && record.currentName == null) {
                    continue;
                }
                Optional<Stored> stored = target.store().read(target.addressFor(
                        record.currentName, unit.bindings()));
                if (stored.isPresent()) {
                    console.mask(stored.get().value());
                    record.current = stored.get().value();
                    return;
                }
            }
        }

        /**
         * The name in use now: the journal's, or when Rotor takes the secret over, the owner's user or a keyset's
         * active key id read from its copy (reads only: plan says what rotate will do).
         */
        private String activeName() {
            if (record.currentName != null) {
                return record.currentName;
            }
            String adopted = unit.strategy().adoptedName(unit);
            return adopted != null ? adopted : adoptedKeyId();
        }

        /** The active key id a readable copy holds ({@code value: ${secret.kid}}), or null. */
        private String adoptedKeyId() {
            for (Target target : unit.targets()) {
                if (("${secret." + SecretValue.KID + "}").equals(target.valueTemplate())
                        && target.store().can(Capability.READABLE)) {
                    Optional<Stored> stored = target.store().read(target.address());
                    if (stored.isPresent()) {
                        return stored.get().value().trim();
                    }
                }
            }
            return null;
        }

        /** The copies consumers read (CURRENT) before dual-password's NEXT copies. */
        private List<Target> consumersFirst() {
            return unit.targets().stream().sorted(java.util.Comparator.comparing(Target::next)).toList();
        }

        /** Distribution order: NEXT copies first, as runbook 002 writes NEXT before it promotes it to CURRENT. */
        private List<Target> distributionOrder() {
            return unit.targets().stream().sorted(java.util.Comparator.comparing(t -> !t.next())).toList();
        }

        /**
         * What {@code ${secret...}} renders for a value: a named credential adds its name (the user, the key id), and a
         * keyset its live versions ({@code keys}, and {@code jwks} when a copy publishes one).
         */
        private SecretValue secretValue(String value, String name) {
            String field = unit.strategy().nameField();
            if (field == null || name == null) {
                return SecretValue.of(value);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(field, name);
            if (field.equals(SecretValue.KID)) {
                Map<String, String> live = liveKeys();
                fields.put(SecretValue.KEYS, KeySets.json(live));
                if (unit.targets().stream().anyMatch(t -> uses(t, SecretValue.JWKS))) {
                    fields.put(SecretValue.JWKS, KeySets.jwks(live));
                }
            }
            return new SecretValue(value, fields);
        }

        /** A keyset's live versions, oldest first: those in grace, the current one, the pending one. */
        private Map<String, String> liveKeys() {
            Map<String, String> live = new LinkedHashMap<>();
            record.retiring.stream().filter(r -> r.value != null).forEach(r -> live.put(r.name, r.value));
            if (record.currentName != null && record.current != null) {
                live.put(record.currentName, record.current);
            }
            if (record.pendingName != null && record.pending != null) {
                live.put(record.pendingName, record.pending);
            }
            return live;
        }

        private boolean uses(Target target, String field) {
            return target.valueTemplate() != null && target.valueTemplate().contains("secret." + field);
        }

        private void owner() {
            if (record.step.compareTo(Step.OWNER) < 0) {
                hook("before", unit.hooks().before());
            }
            Owner owner = unit.owner();
            if (owner != null && record.step.compareTo(Step.OWNER) < 0) {
                unit.strategy().accept(owner, record);
                console.progress("  owner " + unit.ownerName() + (record.pendingName == null
                        ? " accepts the new value" : ": " + unit.strategy().nameField() + " " + record.pendingName
                        + " logs in with the new value" + (record.replacingName == null
                        || record.replacingName.equals(record.pendingName)
                        || record.kind == JournalRecord.Kind.RESTORE_CURRENT ? "" : ", with the privileges of "
                        + record.replacingName)));
                done(Step.OWNER);
            }
            hook.after(unit.key(), Step.OWNER);
        }

        private void test() {
            if (unit.owner() != null) {
                Optional<String> skipped = record.pendingName == null ? unit.owner().test(record.pending)
                        : unit.owner().test(record.pendingName, record.pending);
                skipped.ifPresent(why -> notes.add("login test skipped: " + why));
                console.progress("  owner " + unit.ownerName() + (skipped.isEmpty() ? ": login with the new value works"
                        : ": login test skipped: " + skipped.get()));
            }
            hook.after(unit.key(), Step.TEST);
        }

        private void distribute() {
            targets.clear();
            List<Target> order = distributionOrder();
            SecretValue secret = secretValue(record.pending, record.pendingName);
            int lastConsumerCopy = -1;
            for (int i = 0; i < order.size(); i++) {
                lastConsumerCopy = order.get(i).next() ? lastConsumerCopy : i;
            }
            for (int i = 0; i < order.size(); i++) {
                Target target = order.get(i);
                Address at = target.addressFor(record.pendingName, unit.bindings());
                // A repair keeps dual-password's prepared NEXT in the NEXT copies.
                SecretValue held = target.next() && record.kind == JournalRecord.Kind.REPAIR && record.next != null
                        ? SecretValue.of(record.next) : secret;
                write(target, at, target.valueFor(held, unit.bindings()), order, i);
                console.progress("  " + (i + 1) + "/" + order.size() + " " + target.describe(at) + ": "
                        + (targets.get(targets.size() - 1).status().equals("written") ? "written" : "already holds it")
                        + (target.next() ? " (NEXT)" : ""));
                if (i == lastConsumerCopy && probe != null) {
                    probe.consumersNowHold(new Probe.Credential(record.pendingName, record.pending));
                }
            }
            restartConsumers();
            hook("after", unit.hooks().after());
            done(Step.DISTRIBUTE);
        }

        /** Writes one copy and records its result; on failure, this and the copies after it are behind. */
        private void write(Target target, Address at, String value, List<Target> order, int index) {
            target.mask(value, console);
            Written written;
            try {
                written = target.store().write(at, value);
            } catch (PartialWriteException e) {
                targets.add(new TargetResult(target.storeName(), at.name(), at.scope(), "partial", null, e.written(),
                        e.failed()));
                markBehind(order, index + 1);
                throw e;
            } catch (RuntimeException e) {
                markBehind(order, index);
                throw e;
            }
            if (written.version() != null) {
                record.versions.put(target.describe(at), written.version());
            }
            remember(target, at, value);
            // A NEXT copy written again with the prepared NEXT is one copy in the report, with its last write.
            targets.removeIf(t -> t.store().equals(target.storeName()) && t.name().equals(at.name())
                    && t.scope().equals(at.scope()));
            targets.add(new TargetResult(target.storeName(), at.name(), at.scope(),
                    written.changed() ? "written" : "unchanged", written.version()));
        }

        /**
         * Consumers read the new values only once restarted or re-synced: each store that can restart them is asked
         * once, with every address of this unit it holds, before verification.
         */
        private void restartConsumers() {
            Map<Store, List<Address>> byStore = new LinkedHashMap<>();
            for (Target target : unit.targets()) {
                if (target.store().can(Capability.RESTART)) {
                    byStore.computeIfAbsent(target.store(), s -> new ArrayList<>())
                            .add(target.addressFor(record.pendingName, unit.bindings()));
                }
            }
            byStore.forEach(Store::restart);
        }

        /** The keyed fingerprint of what a copy now holds, and when Rotor wrote it: {@code status --drift} compares. */
        private void remember(Target target, Address at, String value) {
            if (record.fingerprintKey == null) {
                record.fingerprintKey = Fingerprints.newKey();
            }
            JournalRecord.Copy copy = new JournalRecord.Copy();
            copy.fingerprint = Fingerprints.of(record.fingerprintKey, value);
            copy.writtenAt = clock.instant().toString();
            record.copies.put(target.describe(at), copy);
        }

        /** Targets from {@code first} on were not written by this run. */
        private void markBehind(List<Target> order, int first) {
            for (Target target : order.subList(first, order.size())) {
                targets.add(new TargetResult(target.storeName(), target.address().name(), target.address().scope(),
                        "behind", null));
            }
        }

        /**
         * A hook runs as a command check does (the value only in the variables its env names, output never kept, a
         * timeout); a failure stops the rotation here, resumable, before the next step.
         */
        private void hook(String when, Check hook) {
            if (hook != null) {
                try {
                    // ROTOR_EMERGENCY lets one hook do what only an emergency needs (runbook 003 §8: flush the
                    // token denylist, logging everyone out), which a scheduled rotation must not.
                    hook.run(secretValue(record.pending, record.pendingName), Map.of("ROTOR_EMERGENCY",
                            String.valueOf(options.emergency()), "ROTOR_RUN_ID", runId));
                } catch (CheckFailedException e) {
                    throw new CheckFailedException("hook " + when + ": " + e.getMessage());
                }
                console.progress("  hook " + when + ": " + hook.describe() + " done");
            }
        }

        private void verify() {
            SecretValue secret = secretValue(record.pending, record.pendingName);
            for (Check check : unit.checks()) {
                check.run(secret);
                console.progress("  verified: " + check.describe());
            }
            // Not journaled: finish follows at once, and a resume verifies again anyway.
            hook.after(unit.key(), Step.VERIFY);
        }

        private void finish() {
            JournalRecord.Kind kind = record.kind;
            List<String> kept = new ArrayList<>(List.of(record.pending));
            if (kind == JournalRecord.Kind.RESTORE_CURRENT || kind == JournalRecord.Kind.RESTORE_PREVIOUS) {
                record.next = null; // the restored value went to the NEXT copies too
            } else if (kind == JournalRecord.Kind.ROTATE && unit.secret().prepareNext()) {
                prepareNext();
            }
            if (record.next != null) {
                kept.add(record.next);
            }
            if (unit.owner() != null) {
                unit.strategy().retire(unit.owner(), record, kept);
            }
            if (unit.strategy().named() && record.replacingName != null
                    && !record.replacingName.equals(record.pendingName)) {
                startGrace(record.replacingName, record.replacing);
            }
            if (kind != JournalRecord.Kind.RESTORE_CURRENT && !Objects.equals(record.current, record.pending)) {
                record.previous = record.current;
                record.previousName = record.currentName;
            }
            record.current = record.pending;
            record.currentName = record.pendingName;
            // A rollback to a user or key in grace makes it current again: it is no longer to be removed.
            record.retiring.removeIf(r -> r.name.equals(record.currentName));
            // Under this run's lease, journaled by the save below with the finish itself: one save, not three. An
            // emergency that could not remove everything fails the run only once the finish itself is journaled.
            StoreException notRemoved = null;
            try {
                retireDue(false);
            } catch (StoreException e) {
                notRemoved = e;
            }
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
                case REPAIR -> "the owner and every copy hold the current value journaled in "
                        + unit.journal().describe() + " again";
            });
            if (notRemoved != null) {
                throw new RemovalIncompleteException(Failures.describe(notRemoved));
            }
            hook.after(unit.key(), Step.FINISH);
        }

        /**
         * dual-password with prepare-next (runbook 002 step 3): a fresh NEXT, journaled first, is written to the
         * NEXT copies and accepted by the owner beside the promoted CURRENT; the next rotation promotes it.
         */
        private void prepareNext() {
            if (record.next == null) {
                record.next = unit.generator().generate();
                console.mask(record.next);
                unit.journal().save(record);
                console.progress("  fresh NEXT value journaled in " + unit.journal().describe());
            }
            SecretValue next = SecretValue.of(record.next);
            List<Target> copies = unit.targets().stream().filter(Target::next).toList();
            for (int i = 0; i < copies.size(); i++) {
                Target target = copies.get(i);
                write(target, target.address(), target.valueFor(next, unit.bindings()), copies, i);
                console.progress("  NEXT prepared: " + target.describe());
            }
            if (unit.owner() != null) {
                // Beside the promoted CURRENT, as runbook 002's services fall back to NEXT when CURRENT is refused.
                unit.owner().accept(record.next, record.pending);
                console.progress("  owner " + unit.ownerName() + " accepts the prepared NEXT value too");
            }
        }

        /** The replaced user or key keeps working for the secret's grace (none in an emergency). */
        private void startGrace(String name, String value) {
            Duration grace = options.emergency() || unit.secret().grace() == null ? Duration.ZERO : unit.secret().grace();
            record.retiring.removeIf(r -> r.name.equals(name));
            JournalRecord.Retiring retiring = new JournalRecord.Retiring();
            retiring.name = name;
            // A keyset still publishes a key in grace, so its value stays; a user in grace needs none.
            retiring.value = unit.owner() == null ? value : null;
            retiring.after = clock.instant().plus(grace).toString();
            retiring.replacedBy = runId;
            record.retiring.add(retiring);
            if (!grace.isZero()) {
                console.progress("  " + unit.strategy().nameField() + " " + name + " keeps working until "
                        + retiring.after + " (grace " + Durations.format(grace) + "); a later run removes it");
            }
        }

        /**
         * Removes the users and keys whose grace ended (every one in an emergency), with this run's lease: users at
         * the owner, a keyset's version entries from the stores, whose key-set copies are then written again without
         * them. What cannot be removed yet stays, with what holds it back, for the next run. {@code journal}: save the
         * record here (false when the caller's own save follows, as finish's does).
         */
        private void retireDue(boolean journal) {
            Instant now = clock.instant();
            List<JournalRecord.Retiring> due = record.retiring.stream()
                    .filter(r -> options.emergency() || !Instant.parse(r.after).isAfter(now)).toList();
            if (due.isEmpty()) {
                return;
            }
            boolean leased = runId.equals(record.leaseHolder);
            if (!leased) {
                record.leaseHolder = runId;
                record.leaseExpires = now.plus(lease).toString();
                saveOrRefuse();
            }
            List<String> failures = new ArrayList<>();
            boolean keysRemoved = false;
            for (JournalRecord.Retiring r : due) {
                String what = unit.strategy().nameField() + " " + r.name + " (replaced by run " + r.replacedBy + ")";
                try {
                    Optional<String> heldBack = unit.owner() == null ? Optional.empty()
                            : unit.owner().removeUser(r.name, options.emergency());
                    if (heldBack.isPresent()) {
                        r.heldBack = heldBack.get();
                        String note = what + " is kept: " + heldBack.get();
                        notes.add(note);
                        console.progress("  " + note);
                        continue;
                    }
                    for (Target target : unit.targets()) {
                        if (target.perVersion()) {
                            Address at = target.addressFor(r.name, unit.bindings());
                            target.store().delete(at);
                            record.copies.remove(target.describe(at));
                        }
                    }
                } catch (StoreException e) {
                    failures.add(what + ": " + Failures.describe(e));
                    continue;
                }
                record.retiring.remove(r);
                keysRemoved |= r.value != null;
                String note = "removed " + what + (options.emergency() ? " at once (emergency)" : ", its grace ended "
                        + r.after);
                notes.add(note);
                console.progress("  " + note);
            }
            if (keysRemoved && record.current != null) {
                SecretValue secret = secretValue(record.current, record.currentName);
                for (Target target : unit.targets()) {
                    if (uses(target, SecretValue.KEYS) || uses(target, SecretValue.JWKS)) {
                        String value = target.valueFor(secret, unit.bindings());
                        target.mask(value, console);
                        target.store().write(target.address(), value);
                        remember(target, target.address(), value);
                        console.progress("  " + target.describe() + ": written without the removed keys");
                    }
                }
            }
            if (!leased) {
                record.leaseHolder = null;
                record.leaseExpires = null;
            }
            if (journal) {
                unit.journal().save(record);
            }
            if (!failures.isEmpty()) {
                if (options.emergency()) {
                    throw new StoreException(StoreException.Kind.FAILED, "emergency: could not remove "
                            + String.join("; ", failures), "fix the cause and run the emergency rotation again");
                }
                failures.forEach(f -> notes.add("not removed yet, the next run tries again: " + f));
            }
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
            console.mask(record.next);
            record.retiring.forEach(r -> console.mask(r.value));
        }

        private UnitResult failed(RuntimeException e) {
            String reason = Failures.describe(e);
            if (e instanceof NothingToDoException || record == null || record.pending == null || step.compareTo(Step.OWNER) < 0) {
                Outcome outcome = e instanceof Planner.PlanException || e instanceof dev.rotor.generate.GenerationException
                        ? Outcome.INVALID : Outcome.FAILED;
                if (step.compareTo(Step.OWNER) < 0) {
                    targets.clear(); // this run wrote none of them: none is behind because of it
                }
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

        /** {@code ; the new value is journaled in J. Finish with: … | undo with: …}, for a unit left pending. */
        private String wayOut() {
            boolean restoring = record.kind != null && record.kind != JournalRecord.Kind.ROTATE;
            return "; the " + (restoring ? "value to restore" : "new value") + " is journaled in "
                    + unit.journal().describe() + ". Finish with: " + advice.finish(unit, runId)
                    + (restoring ? "" : " | undo with: " + advice.rollback(unit, runId));
        }

        /**
         * Said when a signal ends the process (SIGTERM, Ctrl-C) while this unit runs: whether anything of it changed,
         * and the command that finishes it (a re-run by another run id would wait for this run's lease).
         */
        void stoppedBySignal() {
            console.progress(unit.describe() + ": stopped by a signal" + (record.pending == null
                    ? " before its new value was journaled; nothing of it changed"
                    : " during " + (record.step == null ? "the pending step" : "the step after " + record.step.label())
                    + wayOut()));
        }

        private UnitResult result(Outcome outcome, String message) {
            stopProbe();
            String finish = null;
            String rollback = null;
            if (outcome == Outcome.PARTIAL) {
                finish = advice.finish(unit, runId);
                rollback = advice.rollback(unit, runId);
                message = message + wayOut();
            }
            return new UnitResult(unit.secret().name(), unit.environment(), outcome,
                    outcome.exitCode() == 0 ? null : step, message, finish, rollback, List.copyOf(targets),
                    List.copyOf(notes), probed);
        }
    }

    /** Preflight refused, or another run holds the lease (exit 4). */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** An emergency rotation finished, but could not end every credential it replaced (exit 3: run it again). */
    static final class RemovalIncompleteException extends RuntimeException {
        RemovalIncompleteException(String message) {
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
