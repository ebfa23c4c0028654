package dev.rotor.bench;

/** The JVM-start floor: a main class that does nothing, started like rotor (a class from a class path). */
public final class Noop {
    private Noop() {
    }

    public static void main(String[] args) {
        // nothing: the time of this process is the cost of starting and stopping a JVM
    }
}
