package dev.rotor.github;

import java.time.Duration;
import java.time.Instant;

/** The clock and the sleeper of the GitHub client: injectable so tests and the benchmark never wait for real. */
public interface Time {
    Instant now();

    void sleep(Duration duration) throws InterruptedException;

    Time SYSTEM = new Time() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));
            }
        }
    };
}
