package dev.rotor.engine;

/** The seven steps of one rotation (design.md), in order. */
public enum Step {
    PLAN, PENDING, OWNER, TEST, DISTRIBUTE, VERIFY, FINISH;

    public String label() {
        return name().toLowerCase();
    }
}
