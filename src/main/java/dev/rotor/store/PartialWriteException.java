package dev.rotor.store;

import java.util.List;

/**
 * A write to several destinations of one address (e.g. one secret fanned out to many repositories) that reached
 * some of them. Lists by name exactly which destinations hold the new value and which do not; a re-run writes the
 * same value to the rest.
 */
public class PartialWriteException extends StoreException {
    private final List<String> written;
    private final List<String> failed;

    public PartialWriteException(Kind kind, String message, List<String> written, List<String> failed, String suggestion) {
        super(kind, message, suggestion);
        this.written = List.copyOf(written);
        this.failed = List.copyOf(failed);
    }

    /** Destinations that hold the new value. */
    public List<String> written() {
        return written;
    }

    /** Destinations that do not (failed, or not attempted after a failure that affects them all). */
    public List<String> failed() {
        return failed;
    }
}
