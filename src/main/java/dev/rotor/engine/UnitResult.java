package dev.rotor.engine;

import java.util.List;

/**
 * The report of one unit. {@code finishCommand} and {@code rollbackCommand} are set when the unit is left
 * resumable; {@code notes} say what the run did not do and why (a login test skipped, a user kept in grace);
 * {@code probe} is what the downtime probe measured, when it ran. Names only, never values.
 */
public record UnitResult(String secret, String environment, Outcome outcome, Step failedStep, String message,
                         String finishCommand, String rollbackCommand, List<TargetResult> targets, List<String> notes,
                         ProbeResult probe) {
}
