package dev.rotor.store.github;

import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs one piece of work for every destination on at most {@code concurrency} threads, results in destination
 * order; the client's pacer spaces the requests. Scheduling only: what is written and how GitHub answered is the
 * store's and {@link GithubErrors}' business.
 */
final class FanOut {
    enum State { WRITTEN, ALREADY, FAILED, NOT_ATTEMPTED }

    record Outcome<T>(Destination destination, State state, T value, StoreException error) {
    }

    private final int concurrency;

    FanOut(int concurrency) {
        this.concurrency = concurrency;
    }

    /** With {@code stopOnFatal}, rejected credentials or an exhausted retry budget stop the rest (not attempted). */
    <T> List<Outcome<T>> run(Collection<Destination> destinations, Function<Destination, T> work, boolean stopOnFatal) {
        AtomicBoolean stop = new AtomicBoolean();
        Function<Destination, Outcome<T>> task = destination -> {
            if (stop.get()) {
                return new Outcome<>(destination, State.NOT_ATTEMPTED, null, null);
            }
            try {
                T value = work.apply(destination);
                return new Outcome<>(destination, value instanceof State s ? s : State.WRITTEN, value, null);
            } catch (StoreException e) {
                if (stopOnFatal && (e.transientFailure() || e instanceof GithubErrors.CredentialsRejected)) {
                    stop.set(true);
                }
                return new Outcome<>(destination, State.FAILED, null, e);
            }
        };
        int threads = Math.min(concurrency, destinations.size());
        if (threads <= 1) {
            return destinations.stream().map(task).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "rotor-github");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (Destination destination : destinations) {
                futures.add(pool.submit(() -> task.apply(destination)));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted while writing to GitHub");
        } catch (ExecutionException e) {
            throw new StoreException(StoreException.Kind.FAILED, "GitHub write failed unexpectedly ("
                    + e.getCause().getClass().getSimpleName() + ")");
        } finally {
            pool.shutdownNow();
        }
    }
}
