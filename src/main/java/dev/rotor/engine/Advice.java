package dev.rotor.engine;

/**
 * What Rotor tells a user to do next, in the user's own language: a command that runs exactly as printed from the
 * command line, or in GitHub Actions the workflow run to re-run and the inputs to dispatch. The engine decides
 * when advice is due; the caller knows how the user invoked Rotor.
 */
public interface Advice {
    /** How to finish a unit whose new value is journaled but not yet everywhere. */
    String finish(Unit unit, String runId);

    /** How to undo that unit's unfinished rotation. */
    String rollback(Unit unit, String runId);

    /** How to finish what run {@code holder} left, if that run is gone. */
    String takeOver(String holder);
}
