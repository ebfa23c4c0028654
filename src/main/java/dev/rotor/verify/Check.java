package dev.rotor.verify;

import dev.rotor.manifest.SecretValue;

/** One verification of a new value (design step 6). Throws {@link CheckFailedException} naming the check, never a value. */
public interface Check {
    String describe();

    void run(SecretValue value);
}
