package dev.rotor.engine;

import dev.rotor.generate.GenerationException;
import dev.rotor.manifest.Bindings;
import dev.rotor.store.StoreException;
import dev.rotor.verify.CheckFailedException;

/**
 * Turns any exception into a message that cannot carry a value: Rotor's own exceptions are written to name things
 * only; a library's message might quote a value, so it is reduced to its class name.
 */
public final class Failures {
    private Failures() {
    }

    public static String describe(Throwable e) {
        if (e instanceof StoreException s) {
            return s.getMessage() + (s.suggestion().isEmpty() ? "" : " (" + s.suggestion() + ")");
        }
        if (e instanceof CheckFailedException || e instanceof GenerationException
                || e instanceof dev.rotor.manifest.UnresolvedReferenceException || e instanceof Planner.PlanException
                || e instanceof Engine.RefusedException || e instanceof Engine.NothingToDoException) {
            return e.getMessage();
        }
        return "unexpected " + e.getClass().getSimpleName() + " (details withheld: they may contain a value)";
    }
}
