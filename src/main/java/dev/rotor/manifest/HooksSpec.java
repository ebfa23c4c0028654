package dev.rotor.manifest;

/**
 * {@code hooks:} of a secret: commands run {@code before} the owner changes (after the new value is journaled) and
 * {@code after} the copies are written (before verification), each shaped like a {@code command} check: the new
 * value reaches a hook only through the environment variables its {@code env} names. Either may be null.
 */
public record HooksSpec(CheckSpec before, CheckSpec after) {
    public static final HooksSpec NONE = new HooksSpec(null, null);
}
