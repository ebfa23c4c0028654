package dev.rotor.github;

import dev.rotor.http.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time: sleeping advances the clock at once and is recorded, so tests never wait. */
public final class FakeTime implements Time {
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public Instant now() {
        return start.plusNanos(nanos.get());
    }

    @Override
    public void sleep(Duration duration) {
        synchronized (sleeps) {
            sleeps.add(duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    public Duration longestSleep() {
        return sleeps().stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
