package dev.rotor.store;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs that start at once both find a store's private folder missing and both create it: the one that comes
 * second must not fail (it once did, with FileAlreadyExistsException, under load in LocalStoresAcrossProcessesIT).
 */
class LocalFilesRaceTest {
    @TempDir
    Path dir;

    @RepeatedTest(20)
    void creatingTheSameFoldersAtOnceSucceedsForEveryone() throws Exception {
        Path target = dir.resolve("keys/.rotor/journal");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    start.await();
                    LocalFiles.createPrivateDirectories(target);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Files.isDirectory(target));
    }
}
