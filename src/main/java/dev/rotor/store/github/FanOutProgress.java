package dev.rotor.store.github;

import java.util.function.Consumer;

/**
 * The progress of one target's fan-out, e.g. {@code github: 120/300 destinations written (API_KEY, environment prod)},
 * about every tenth of its destinations and after the last. Every destination of the target counts, failures
 * included, so the lines always reach the end and say how many failed.
 */
final class FanOutProgress {
    private final int total;
    private final String succeeded;
    private final String what;
    private final Consumer<String> progress;
    private final int step;
    private int written;
    private int failed;

    /**
     * @param succeeded what a destination that succeeded is: written, deleted
     * @param what the secret's name, and its environment when the target has one
     */
    FanOutProgress(int total, String succeeded, String what, Consumer<String> progress) {
        this.total = total;
        this.succeeded = succeeded;
        this.what = what;
        this.progress = progress;
        this.step = Math.max(1, (total + 9) / 10);
    }

    /** One destination is done: written or deleted (or already so), or failed. */
    synchronized void finished(boolean ok) {
        if (ok) {
            written++;
        } else {
            failed++;
        }
        int done = written + failed;
        if (total > 1 && (done % step == 0 || done == total)) {
            progress.accept("github: " + written + "/" + total + " destinations " + succeeded
                    + (failed == 0 ? "" : ", " + failed + " failed") + " (" + what + ")");
        }
    }
}
