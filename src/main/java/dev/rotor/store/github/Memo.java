package dev.rotor.store.github;

import java.util.function.Supplier;

/** A value computed once per run, on first need; a failure is not remembered, so the next caller tries again. */
final class Memo<T> {
    private T value;

    synchronized T get(Supplier<T> supplier) {
        if (value == null) {
            value = supplier.get();
        }
        return value;
    }
}
