package dev.rotor.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The durable state of one rotation unit, kept in its journal store apart from what consumers read. It holds
 * values (pending, current, previous), so it lives only in a store as protected as the secret itself, and its
 * {@link #toString()} never shows them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JournalRecord {
    /** What the pending value is for; REPAIR writes the current value to the owner and every copy again. */
    public enum Kind { ROTATE, RESTORE_CURRENT, RESTORE_PREVIOUS, REPAIR }

    public int format = 1;
    public long revision;
    public String unit;
    /** The last step completed for the pending value; null when idle. */
    public Step step;
    public String pending;
    public Kind kind;
    /** The value the pending one replaces: retired at finish. */
    public String replacing;
    public String current;
    public String previous;
    /**
     * The names of those values where the credential has one (alternating-users: the user; keyset: the key id);
     * null for single-user and dual-password, whose user never changes.
     */
    public String pendingName;
    public String replacingName;
    public String currentName;
    public String previousName;
    /**
     * dual-password with prepare-next: the fresh NEXT, journaled before the owner accepts it; the next rotation
     * promotes it instead of generating a value.
     */
    public String next;
    /** Users and keys a rotation replaced that keep working until their grace ends; a later run removes them. */
    public java.util.List<Retiring> retiring = new java.util.ArrayList<>();
    public String pendingRunId;
    public String pendingSince;
    public String leaseHolder;
    public String leaseExpires;
    public String lastRunId;
    public String rotatedAt;
    public Map<String, String> versions = new LinkedHashMap<>();
    /** The key of this unit's copy fingerprints ({@link Fingerprints}); it never leaves the journal. */
    public String fingerprintKey;
    /** Each copy Rotor last wrote ({@code store:name [scope]}): the keyed fingerprint of its value and when. */
    public Map<String, Copy> copies = new LinkedHashMap<>();

    /** What Rotor wrote to one copy, for {@code status --drift}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Copy {
        public String fingerprint;
        public String writtenAt;
    }

    /** A replaced user or key in its grace period. {@code value} is kept for a key set, which still publishes it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Retiring {
        public String name;
        public String value;
        /** When the grace ends and the name may be removed. */
        public String after;
        /** The run that replaced it. */
        public String replacedBy;
        /** What held its removal back the last time a run tried (open sessions, owned objects). */
        public String heldBack;

        @Override
        public String toString() {
            return "Retiring[" + name + " after " + after + "]";
        }
    }

    boolean idle() {
        return pending == null;
    }

    /** Forgets the pending value and everything about its run, the lease included: the unit is idle again. */
    void endPending() {
        pending = null;
        pendingName = null;
        kind = null;
        replacing = null;
        replacingName = null;
        pendingRunId = null;
        pendingSince = null;
        step = null;
        leaseHolder = null;
        leaseExpires = null;
    }

    /**
     * The one "due" rule, for {@code rotate --only-due} and {@code status}: an unfinished rotation is due, so is a
     * secret Rotor never rotated; after that, only when its last rotation is {@code maxAge} old (never without one).
     */
    public boolean due(java.time.Duration maxAge, java.time.Instant now) {
        if (pending != null || rotatedAt == null) {
            return true;
        }
        return maxAge != null && !java.time.Instant.parse(rotatedAt).plus(maxAge).isAfter(now);
    }

    @Override
    public String toString() {
        return "JournalRecord[unit=" + unit + ", revision=" + revision + ", step=" + step + ", pending="
                + (pending != null) + ", lastRunId=" + lastRunId + "]";
    }
}
