package dev.rotor.store;

/**
 * A failed store or owner operation. The message names the store, the operation and the address,
 * never a value; library exceptions are not chained as causes because their messages may carry values.
 */
public class StoreException extends RuntimeException {
    public enum Kind { TRANSIENT, PERMISSION, NOT_FOUND, CONFLICT, INVALID, FAILED }

    private final Kind kind;
    private final String suggestion;

    public StoreException(Kind kind, String message, String suggestion) {
        super(message);
        this.kind = kind;
        this.suggestion = suggestion == null ? "" : suggestion;
    }

    public StoreException(Kind kind, String message) {
        this(kind, message, "");
    }

    public Kind kind() {
        return kind;
    }

    public String suggestion() {
        return suggestion;
    }

    public boolean transientFailure() {
        return kind == Kind.TRANSIENT;
    }
}
