package dev.rotor.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What a provider may use when it opens a store: the process environment (credentials come from
 * {@code ${env:NAME}} references or ambient identity), the manifest's directory for relative paths,
 * a clock, a progress sink (names only) and the run's count of resent requests.
 */
public record ProviderContext(Map<String, String> environment, Path baseDirectory, Clock clock,
                              Consumer<String> progress, Resends resends) {
    /** With a count of its own: for callers that report no run (tests, benchmarks). */
    public ProviderContext(Map<String, String> environment, Path baseDirectory, Clock clock, Consumer<String> progress) {
        this(environment, baseDirectory, clock, progress, new Resends());
    }

    /** Requests sent again after a transient failure or a rate limit, over every store of one run (for the report). */
    public static final class Resends {
        private final AtomicLong count = new AtomicLong();

        public void add() {
            count.incrementAndGet();
        }

        public long count() {
            return count.get();
        }
    }
}
