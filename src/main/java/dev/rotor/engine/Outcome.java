package dev.rotor.engine;

import java.util.Locale;

/** What happened to one unit, and the exit code it calls for (design.md). */
public enum Outcome {
    ROTATED(0), ROLLED_BACK(0), REPAIRED(0), ALREADY_DONE(0), NOT_DUE(0), NOTHING_PENDING(0), PLANNED(0), NOT_STARTED(0),
    FAILED(1), INVALID(2), PARTIAL(3), REFUSED(4);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** As people read it, in result lines and the step summary: "already done", "rolled back". */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Partial beats refused beats invalid beats failed: the most urgent outcome names the run's exit code. */
    int urgency() {
        return switch (this) {
            case PARTIAL -> 4;
            case REFUSED -> 3;
            case INVALID -> 2;
            case FAILED -> 1;
            default -> 0;
        };
    }

    public static int exitCode(Iterable<UnitResult> results) {
        Outcome worst = NOT_STARTED;
        for (UnitResult r : results) {
            if (r.outcome().urgency() > worst.urgency()) {
                worst = r.outcome();
            }
        }
        return worst.exitCode();
    }
}
