package dev.rotor.github;

import dev.rotor.http.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paces content-creating requests (PUT/POST/PATCH/DELETE) to stay inside GitHub's documented secondary limits:
 * serially, at least {@code interval} apart, at most {@code perMinute} in any 60 s and {@code perHour} in any hour.
 * A window counts a request from the moment its answer arrived (GitHub saw it no later), and a new request starts
 * no earlier than a full window after that, so client-side compliance implies server-side compliance whatever the
 * latency was.
 */
public final class WritePacer {
    public record Limits(Duration interval, int perMinute, int perHour) {
        /** GitHub's guidance: writes serially, a second apart; about 80 content-creating requests a minute, 500 an hour. */
        public static final Limits GITHUB = new Limits(Duration.ofSeconds(1), 80, 500);
    }

    private final Limits limits;
    private final Time time;
    private final Deque<Instant> lastMinute = new ArrayDeque<>();
    private final Deque<Instant> lastHour = new ArrayDeque<>();
    private Instant lastDone = Instant.MIN;

    public WritePacer(Limits limits, Time time) {
        this.limits = limits;
        this.time = time;
    }

    public Limits limits() {
        return limits;
    }

    /** Waits until a write may start; the caller holds the write slot (one write in flight) until {@link #done}. */
    public void awaitTurn() throws InterruptedException {
        while (true) {
            Instant now = time.now();
            Instant earliest = earliest(now);
            if (!earliest.isAfter(now)) {
                return;
            }
            time.sleep(Duration.between(now, earliest));
        }
    }

    /** Records that a write's answer arrived (whatever it was: GitHub counted the attempt). */
    public void done() {
        Instant now = time.now();
        lastDone = now;
        if (limits.perMinute() > 0) {
            lastMinute.addLast(now);
        }
        if (limits.perHour() > 0) {
            lastHour.addLast(now);
        }
    }

    private Instant earliest(Instant now) {
        Instant earliest = lastDone == Instant.MIN ? now : lastDone.plus(limits.interval());
        earliest = later(earliest, windowFree(lastMinute, limits.perMinute(), Duration.ofMinutes(1), now));
        return later(earliest, windowFree(lastHour, limits.perHour(), Duration.ofHours(1), now));
    }

    private static Instant windowFree(Deque<Instant> window, int max, Duration length, Instant now) {
        while (!window.isEmpty() && !window.peekFirst().plus(length).isAfter(now)) {
            window.removeFirst();
        }
        if (max <= 0 || window.size() < max) {
            return now;
        }
        // the oldest entries that must leave the window before one more fits
        return window.stream().skip(window.size() - max).findFirst().orElse(now).plus(length);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
