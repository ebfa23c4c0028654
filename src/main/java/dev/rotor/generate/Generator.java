package dev.rotor.generate;

import java.util.List;

/** Makes new values for one secret. All randomness comes from SecureRandom. */
public interface Generator {
    /** A new value; for {@code provided}, the user's value (throws {@link GenerationException} naming the variable if missing). */
    String generate();

    /** Rules of this generator's policy that {@code value} breaks (e.g. "shorter than 32"), never the value itself. */
    List<String> policyViolations(String value);

    /** The most characters a generated value can have (stores with a size limit check it in validate); empty if unknown. */
    default java.util.OptionalInt maxLength() {
        return java.util.OptionalInt.empty();
    }
}
