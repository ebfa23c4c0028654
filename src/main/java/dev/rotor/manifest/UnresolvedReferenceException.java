package dev.rotor.manifest;

/** A template reference that cannot be rendered (a missing environment variable...). Names the reference, never a value. */
public class UnresolvedReferenceException extends RuntimeException {
    private final String reference;

    public UnresolvedReferenceException(String reference, String message) {
        super("${" + reference + "}: " + message);
        this.reference = reference;
    }

    /** The expression inside {@code ${...}}, e.g. {@code env:DB_TOKEN}. */
    public String reference() {
        return reference;
    }
}
