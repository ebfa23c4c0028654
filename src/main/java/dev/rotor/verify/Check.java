package dev.rotor.verify;

import dev.rotor.manifest.SecretValue;

/** One verification of a new value (design step 6). Throws {@link CheckFailedException} naming the check, never a value. */
public interface Check {
    String describe();

    void run(SecretValue value);

    /**
     * As {@link #run(SecretValue)}, telling a command about its run through {@code context} variables (a hook learns
     * whether the rotation is an emergency); a check that starts no process ignores them.
     */
    default void run(SecretValue value, java.util.Map<String, String> context) {
        run(value);
    }
}
