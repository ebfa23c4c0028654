package dev.rotor.http;

import java.time.Duration;
import java.time.Instant;

/** The clock and the sleeper of the HTTP clients (pacing, retries, token expiry): injectable so tests never wait. */
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
