package dev.rotor.cli;

/**
 * A subcommand contributed by a package above {@code cli} (the GitHub Action's {@code rotor action}). Found with
 * {@link java.util.ServiceLoader}, so that {@code cli} imports none of them; loaded only when the command line does
 * not name a built-in command.
 */
public interface Subcommand {
    String name();

    /** The picocli command object, for this session (its environment, streams, clock and step hook). */
    Object command(Session session);
}
