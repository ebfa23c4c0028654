package dev.rotor.engine;

/**
 * What the downtime probe saw during one unit's rotation: fresh logins tried, how many failed, and the longest
 * window without a working credential; {@code unmeasurable} says why it stopped early (a role that cannot log in).
 */
public record ProbeResult(int logins, int failed, long longestGapMillis, String unmeasurable) {
    public String describe() {
        return unmeasurable != null ? "not measured: " + unmeasurable
                : logins + " logins, " + failed + " failed, longest window without a working credential "
                + longestGapMillis + " ms";
    }
}
