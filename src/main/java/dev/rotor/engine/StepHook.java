package dev.rotor.engine;

/** Called after each completed step of a unit; tests inject crashes here. */
@FunctionalInterface
public interface StepHook {
    StepHook NONE = (unit, step) -> { };

    void after(String unit, Step step);
}
