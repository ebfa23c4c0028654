package dev.rotor.generate;

/** A value could not be made (e.g. a provided variable is missing). The message names things, never values. */
public class GenerationException extends RuntimeException {
    public GenerationException(String message) {
        super(message);
    }
}
