package dev.rotor.manifest;

import java.util.List;
import java.util.OptionalInt;

/** What the manifest asks of the value generators: their types and options, and the checks only they know. */
public interface GeneratorTypes {
    /** Every {@code generate.type}, in a stable order. */
    List<String> types();

    /** The options a type takes beside {@code type}; empty for an unknown type. */
    List<OptionInfo> options(String type);

    /** Every problem in a {@code generate:} map; a key of null names the map itself. */
    List<KeyProblem> check(GeneratorSpec spec);

    /** The longest value this spec can produce, when it is known without generating (for store size limits). */
    OptionalInt maxLength(GeneratorSpec spec);
}
