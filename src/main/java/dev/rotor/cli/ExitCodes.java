package dev.rotor.cli;

/** The exit codes of design.md, documented in the README and in {@code --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int PARTIAL = 3;
    public static final int REFUSED = 4;
    public static final int DRIFT = 5;

    static final String HELP = "%nExit codes:%n"
            + "  0  done, or nothing was due%n"
            + "  1  failed before any change; nothing changed%n"
            + "  2  manifest or usage invalid (file:line:col); nothing written%n"
            + "  3  partial: the new value is journaled, some targets are behind;%n"
            + "     the message names the rotate that finishes, the rollback that undoes%n"
            + "  4  refused: preflight (credentials, permission) or another run's lease%n"
            + "  5  status --drift: a copy disagrees with the journal (each named,%n"
            + "     with its repair)%n";

    private ExitCodes() {
    }
}
