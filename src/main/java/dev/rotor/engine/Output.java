package dev.rotor.engine;

/**
 * Where the engine speaks: it masks every value before using it, reports progress and prints results. The report
 * package implements it (redaction, workflow commands), so the engine depends on no printer.
 */
public interface Output {
    /** Registers a value (and its forms) as secret before it is used anywhere. */
    void mask(String value);

    /** A progress line (stderr): names only. */
    void progress(String line);

    /** A result line (stdout): names only. */
    void result(String line);
}
