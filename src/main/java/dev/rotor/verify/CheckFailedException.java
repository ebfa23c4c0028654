package dev.rotor.verify;

/** A check that did not pass; the message names the check and what was seen (status, exit code), never a value. */
public class CheckFailedException extends RuntimeException {
    public CheckFailedException(String message) {
        super(message);
    }
}
