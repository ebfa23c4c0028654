package dev.rotor.cli;

/** The exit codes of design.md, documented in the README and in {@code --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int PARTIAL = 3;
    public static final int REFUSED = 4;

    static final String HELP = "%nExit codes:%n"
            + "  0  done, or nothing was due%n"
            + "  1  failed before any change; nothing changed%n"
            + "  2  manifest or usage invalid (file:line:col errors); nothing written%n"
            + "  3  partial: a new value is journaled and some targets are behind; the message names the%n"
            + "     'rotate' that finishes it and the 'rollback' that undoes it%n"
            + "  4  refused by preflight (credentials, permission) or another rotation is in progress%n";

    private ExitCodes() {
    }
}
