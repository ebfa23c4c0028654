package dev.rotor.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The holder alone, with numbered stand-in connections: what it opens, reopens, throws and tidies. The owners' tests
 * (PostgresAdminConnectionTest, RedisAdminSessionTest) break real connections on real servers.
 */
class SharedConnectionTest {
    /** A failure the stand-in library reports as a broken connection. */
    private static final class Broken extends IOException {
        Broken(String message) {
            super(message);
        }
    }

    /** What happened, in order: "open 1", "work 1", "after 1", "close 1"... */
    private final List<String> events = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    /** Set to make the next afterUse fail. */
    private boolean afterUseFails;

    private final SharedConnection<Integer, IOException> shared = new SharedConnection<>(new Handling());

    /** The stand-in library: {@link Broken} breaks a connection; afterUse and close are recorded. */
    private final class Handling implements SharedConnection.Handling<Integer, IOException> {
        @Override
        public boolean broken(Integer connection, Exception failure) {
            return failure instanceof Broken;
        }

        @Override
        public void afterUse(Integer connection) throws IOException {
            events.add("after " + connection);
            if (afterUseFails) {
                afterUseFails = false;
                throw new IOException("cannot tidy");
            }
        }

        @Override
        public void close(Integer connection) throws IOException {
            events.add("close " + connection);
            throw new IOException("a close that fails is ignored");
        }
    }

    private Integer open() {
        int connection = opened.incrementAndGet();
        events.add("open " + connection);
        return connection;
    }

    /** Uses the connection, recording the work; it returns the connection it ran on. */
    private Integer use() throws IOException {
        return shared.use(this::open, connection -> {
            events.add("work " + connection);
            return connection;
        });
    }

    @Test
    void aConnectionFoundBrokenIsReplacedOnceAndTheWorkRunsAgainOnTheNewOne() throws IOException {
        String result = shared.use(this::open, connection -> {
            events.add("work " + connection);
            if (connection == 1) {
                throw new Broken("server ended the session");
            }
            return "done on " + connection;
        });

        assertEquals("done on 2", result);
        assertEquals(List.of("open 1", "work 1", "close 1", "open 2", "work 2", "after 2"), events);
        events.clear();
        assertEquals(2, use(), "the replacement serves the next use");
        assertEquals(List.of("work 2", "after 2"), events);
    }

    @Test
    void aConnectionBrokenAgainAfterTheReplacementIsThrown() {
        List<Broken> thrown = new ArrayList<>();
        Broken failure = assertThrows(Broken.class, () -> shared.use(this::open, connection -> {
            events.add("work " + connection);
            thrown.add(new Broken("broken on " + connection));
            throw thrown.get(thrown.size() - 1);
        }));

        assertSame(thrown.get(1), failure, "the second break, as it came");
        assertEquals(List.of("open 1", "work 1", "close 1", "open 2", "work 2", "after 2"), events);
    }

    @Test
    void aFailureThatDidNotBreakTheConnectionIsThrownAtOnceAndTheConnectionKept() throws IOException {
        IOException refused = new IOException("permission denied");
        IllegalStateException invalid = new IllegalStateException("role is missing");

        assertSame(refused, assertThrows(IOException.class, () -> shared.use(this::open, connection -> {
            events.add("work " + connection);
            throw refused;
        })));
        assertSame(invalid, assertThrows(IllegalStateException.class, () -> shared.use(this::open, connection -> {
            events.add("work " + connection);
            throw invalid;
        })));
        assertEquals(1, use());

        assertEquals(List.of("open 1", "work 1", "after 1", "work 1", "after 1", "work 1", "after 1"), events);
    }

    @Test
    void aUseAfterCloseOpensAgain() throws IOException {
        assertEquals(1, use());
        shared.close();
        shared.close();
        assertEquals(2, use());

        assertEquals(List.of("open 1", "work 1", "after 1", "close 1", "open 2", "work 2", "after 2"), events);
    }

    @Test
    void afterUseRunsAfterSuccessAndFailureAndAConnectionItCannotTidyIsReplaced() throws IOException {
        assertThrows(IOException.class, () -> shared.use(this::open, connection -> {
            events.add("work " + connection);
            throw new IOException("refused");
        }));
        afterUseFails = true;
        assertEquals(1, use());
        assertEquals(2, use());

        assertEquals(List.of("open 1", "work 1", "after 1", "work 1", "after 1", "close 1", "open 2", "work 2",
                "after 2"), events);
    }

    @Test
    void aFailedOpenIsThrownAndTheNextUseOpensAgain() throws IOException {
        IOException unreachable = new IOException("unreachable");
        assertSame(unreachable, assertThrows(IOException.class, () -> shared.use(() -> {
            throw unreachable;
        }, connection -> connection)));
        assertEquals(1, use());

        assertEquals(List.of("open 1", "work 1", "after 1"), events);
    }

    @Test
    void twoThreadsNeverWorkOnTheConnectionAtOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                runs.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        shared.use(() -> 1, connection -> {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.yield();
                            return inside.decrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, mostInside.get());
    }
}
