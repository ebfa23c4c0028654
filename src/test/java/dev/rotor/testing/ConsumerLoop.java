package dev.rotor.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A consumer, independent of Rotor: from its own thread, it reads its configuration (a file Rotor writes) and opens a
 * fresh login with it, again and again, counting the logins that failed. It proves a rotation's downtime (or its
 * absence) without trusting Rotor's own probe.
 */
public final class ConsumerLoop implements AutoCloseable {
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;

    /** @param login reads the configuration and logs in with it; true when the login worked */
    public ConsumerLoop(BooleanSupplier login) {
        thread = new Thread(() -> {
            while (!stop) {
                boolean works;
                try {
                    works = login.getAsBoolean();
                } catch (RuntimeException e) {
                    works = false;
                }
                logins.incrementAndGet();
                if (!works) {
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "consumer-loop");
        thread.setDaemon(true);
        thread.start();
    }

    public int logins() {
        return logins.get();
    }

    public int failed() {
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
