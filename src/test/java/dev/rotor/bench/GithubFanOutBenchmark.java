package dev.rotor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.rotor.github.GithubApi;
import dev.rotor.github.GithubDouble;
import dev.rotor.github.SealedBox;
import dev.rotor.http.Time;
import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.github.GithubProvider;
import dev.rotor.store.github.GithubStore;

/**
 * 3 secrets to 300 repositories plus 2 environments each (2,700 destinations) against a local GitHub double that
 * enforces GitHub's content-creation budget (80 a minute, 500 an hour; 403 + retry-after past it), with time
 * scaled so GitHub's five-hour floor runs in about a minute. Prints requests made against the minimum, refusals,
 * wall time against the budget's floor, sealed-box operations per second and peak heap.
 * <p>Arguments: {@code [--scale N]} virtual seconds per real second (default 300); {@code [--unpaced]} turns the
 * client's own budget off to show the refusals being waited out instead.
 */
public final class GithubFanOutBenchmark {
    private static final int REPOSITORIES = 300;
    private static final List<String> ENVIRONMENTS = List.of("staging", "prod");
    private static final List<String> SECRETS = List.of("DATABASE_URL", "API_KEY", "SIGNING_KEY");
    private static final int PER_MINUTE = 80;
    private static final int PER_HOUR = 500;

    /** Virtual time running {@code scale} times faster than real time, for the client and the double alike. */
    static final class ScaledTime implements Time {
        private final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
        private final long start = System.nanoTime();
        private final double scale;

        ScaledTime(double scale) {
            this.scale = scale;
        }

        @Override
        public Instant now() {
            return epoch.plusNanos((long) ((System.nanoTime() - start) * scale));
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long nanos = (long) (duration.toNanos() / scale);
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        double scale = 300;
        boolean unpaced = false;
        for (int i = 0; i < args.length; i++) {
            if ("--scale".equals(args[i])) {
                scale = Double.parseDouble(args[++i]);
            } else if ("--unpaced".equals(args[i])) {
                unpaced = true;
            }
        }
        double sealOps = sealedBoxOpsPerSecond();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        ScaledTime time = new ScaledTime(scale);
        List<String> progress = new ArrayList<>();
        try (GithubDouble github = new GithubDouble(time, PER_MINUTE, PER_HOUR)) {
            List<String> repositories = new ArrayList<>();
            for (int i = 1; i <= REPOSITORIES; i++) {
                repositories.add(String.format(Locale.ROOT, "acme/service-%03d", i));
            }
            Map<String, Object> settings = new HashMap<>();
            settings.put("repositories", repositories);
            settings.put("token", "ghp_benchmark");
            settings.put("api-url", github.url());
            if (unpaced) {
                settings.put("writes-per-minute", 0);
                settings.put("writes-per-hour", 0);
            }
            GithubStore store = new GithubProvider(time).openStore("github", settings,
                    new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), progress::add));
            List<Address> targets = new ArrayList<>();
            for (String secret : SECRETS) {
                targets.add(new Address(secret, Map.of()));
                ENVIRONMENTS.forEach(env -> targets.add(new Address(secret, Map.of("environment", env))));
            }
            int destinations = targets.size() * REPOSITORIES;
            int scopes = REPOSITORIES * (1 + ENVIRONMENTS.size());
            long minimum = scopes + destinations;

            long startNanos = System.nanoTime();
            Instant virtualStart = time.now();
            store.preflight(targets);
            AtomicInteger done = new AtomicInteger();
            for (Address target : targets) {
                store.write(target, "value of " + target.name() + " rotated " + done.incrementAndGet());
                System.out.printf(Locale.ROOT, "  %-40s %6.1f s real, %s virtual%n", target.describe(),
                        (System.nanoTime() - startNanos) / 1e9, Duration.between(virtualStart, time.now()).withNanos(0));
            }
            double wall = (System.nanoTime() - startNanos) / 1e9;
            double floorVirtual = budgetFloorSeconds(destinations, PER_MINUTE, PER_HOUR);
            double floor = floorVirtual / scale;

            int wrong = 0;
            for (String repository : repositories) {
                for (int t = 0; t < targets.size(); t++) {
                    Address target = targets.get(t);
                    Object env = target.scope().get("environment");
                    String base = env == null ? "/repos/" + repository + "/actions/secrets"
                            : "/repos/" + repository + "/environments/" + env + "/secrets";
                    if (!github.value(base, target.name()).orElse("").equals("value of " + target.name() + " rotated " + (t + 1))) {
                        wrong++;
                    }
                }
            }
            GithubApi.Stats stats = store.stats();
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();

            System.out.println();
            System.out.println("GithubFanOutBenchmark: " + SECRETS.size() + " secrets x " + REPOSITORIES + " repositories x (repository + "
                    + ENVIRONMENTS.size() + " environments) = " + destinations + " destinations" + (unpaced ? " [client budget off]" : ""));
            System.out.printf(Locale.ROOT, "time scale                      %.0fx (GitHub's hour = %.1f s)%n", scale, 3600 / scale);
            System.out.printf(Locale.ROOT, "requests made                   %d (double counted %d)%n", stats.requests(), github.requests());
            System.out.printf(Locale.ROOT, "minimum possible                %d (%d public keys + %d PUTs)%n", minimum, scopes, destinations);
            System.out.printf(Locale.ROOT, "requests / minimum              %.2f%n", github.requests() / (double) minimum);
            System.out.printf(Locale.ROOT, "secondary-limit refusals        %d%n", github.refusals());
            System.out.printf(Locale.ROOT, "destinations written / failed   %d / %d (boxes not opening: %d)%n", github.writes(), wrong, github.badBoxes());
            System.out.printf(Locale.ROOT, "wall time                       %.1f s (%.2f h at GitHub's pace)%n", wall, wall * scale / 3600);
            System.out.printf(Locale.ROOT, "budget floor                    %.1f s (%.2f h: %d writes at %d/min, %d/h)%n", floor,
                    floorVirtual / 3600, destinations, PER_MINUTE, PER_HOUR);
            System.out.printf(Locale.ROOT, "wall time / floor               %.3f%n", wall / floor);
            System.out.printf(Locale.ROOT, "sealed-box ops/s                %.0f%n", sealOps);
            System.out.printf(Locale.ROOT, "peak heap                       %.1f MB%n", peakHeap / 1048576.0);
            System.gc();
            System.out.printf(Locale.ROOT, "heap after GC (live)            %.1f MB%n",
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
            System.out.println("progress lines (last)           " + (progress.isEmpty() ? "-" : progress.get(progress.size() - 1)));
        }
    }

    /** The earliest time the last of {@code writes} can be accepted: greedy under both sliding windows. */
    static double budgetFloorSeconds(int writes, int perMinute, int perHour) {
        Deque<Double> minute = new ArrayDeque<>();
        Deque<Double> hour = new ArrayDeque<>();
        double t = 0;
        for (int i = 0; i < writes; i++) {
            if (minute.size() == perMinute) {
                t = Math.max(t, minute.removeFirst() + 60);
            }
            if (hour.size() == perHour) {
                t = Math.max(t, hour.removeFirst() + 3600);
            }
            minute.addLast(t);
            hour.addLast(t);
        }
        return t;
    }

    private static double sealedBoxOpsPerSecond() {
        byte[] key = new org.bouncycastle.crypto.params.X25519PrivateKeyParameters(new java.security.SecureRandom())
                .generatePublicKey().getEncoded();
        byte[] message = "postgresql://app:0123456789abcdef0123456789abcdef@db.example:5432/app".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2000; i++) {
            SealedBox.seal(message, key);
        }
        int ops = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 2_000_000_000L) {
            SealedBox.seal(message, key);
            ops++;
        }
        return ops / ((System.nanoTime() - start) / 1e9);
    }
}
