package dev.rotor.engine;

import dev.rotor.store.Owner;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures downtime as consumers would see it (rotate --probe): from another thread, a fresh login to the owner
 * every few milliseconds with the credential the consumer-facing targets hold at that moment, which the engine
 * switches once they all hold the new one. Counts failed logins and the longest window without a working
 * credential: from the start of a failed login to the start of the next one that works (or the end).
 */
final class Probe {
    /** What the consumer-facing targets hold: a user (null: the owner's configured one) and its password. */
    record Credential(String user, String value) {
        @Override
        public String toString() {
            return "Credential[" + user + "]";
        }
    }

    private final Owner owner;
    private final Duration interval;
    private final AtomicReference<Credential> consumers;
    private final Thread thread;
    private volatile boolean stopping;
    private int logins;
    private int failed;
    private long windowStart = -1;
    private long longestNanos;
    private String unmeasurable;

    private Probe(Owner owner, Credential initial, Duration interval) {
        this.owner = owner;
        this.interval = interval;
        this.consumers = new AtomicReference<>(initial);
        this.thread = new Thread(this::loop, "rotor-probe");
        thread.setDaemon(true);
    }

    /** Starts probing; returns null when no credential of the consumers is known to probe with. */
    static Probe start(Owner owner, Credential initial, Duration interval) {
        if (initial == null || initial.value() == null) {
            return null;
        }
        Probe probe = new Probe(owner, initial, interval);
        probe.thread.start();
        return probe;
    }

    void consumersNowHold(Credential credential) {
        consumers.set(credential);
    }

    /** Stops the loop and returns the figures. */
    ProbeResult stop() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (windowStart >= 0) {
                longestNanos = Math.max(longestNanos, System.nanoTime() - windowStart);
            }
            return new ProbeResult(logins, failed, Duration.ofNanos(longestNanos).toMillis(), unmeasurable);
        }
    }

    private void loop() {
        while (!stopping) {
            Credential credential = consumers.get();
            long started = System.nanoTime();
            boolean works;
            try {
                Optional<String> skipped = credential.user() == null ? owner.test(credential.value())
                        : owner.test(credential.user(), credential.value());
                if (skipped.isPresent()) {
                    synchronized (this) {
                        unmeasurable = skipped.get();
                    }
                    return;
                }
                works = true;
            } catch (RuntimeException e) {
                works = false;
            }
            record(started, works);
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(long started, boolean works) {
        logins++;
        if (works) {
            if (windowStart >= 0) {
                longestNanos = Math.max(longestNanos, started - windowStart);
                windowStart = -1;
            }
        } else {
            failed++;
            if (windowStart < 0) {
                windowStart = started;
            }
        }
    }
}
