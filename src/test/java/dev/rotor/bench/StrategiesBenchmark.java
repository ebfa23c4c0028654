package dev.rotor.bench;

import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.store.Owner;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.store.postgres.PostgresProvider;
import dev.rotor.testing.RotorRunner;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.core.Utils;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * {@code rotor rotate} of 50 PostgreSQL users (alternating-users: a new role like the old one, the old one dropped at
 * the end of the run, no grace) and 50 Redis ACL users (dual-password), each with files targets and a journal on a
 * files store, run in-process against the embedded PostgreSQL and a local Redis 6.2, beside the floor: the same
 * statements and commands sent by hand over one admin connection per server, plus one fresh login per secret (Rotor's
 * login test opens one by design, so the floor's logins are counted the same way). Prints medians and spreads, the
 * ratio, where Rotor's time goes per step (the engine's step hook), and what reached each server: connections and
 * statements from the PostgreSQL log (log_connections on), connections and commands from Redis INFO.
 * <p>The floor calls Rotor's own catalog code ({@code PostgresOwner.roles} and {@code holds}, {@code RolePrivileges.read},
 * {@code changesToMatch}, {@code revokeAll}) by reflection on its one connection, so that it sends exactly Rotor's
 * catalog reads and GRANT/REVOKE statements; only the preflight query is written here (same joins, fewer columns).
 * <p>Arguments: {@code [--users N]} per server (default 50), {@code [--warmup N]} (default 2), {@code [--runs N]}
 * (default 5), {@code [--grants N]} tables each role is granted SELECT, INSERT, UPDATE on (default 3).
 * <p>Prints no secret value: Rotor's output is only counted, never echoed, except the first lines of its stderr when
 * a run fails (messages name users, never values).
 */
public final class StrategiesBenchmark {
    private static final String PG_ADMIN = "bench_admin";
    private static final String PG_ADMIN_PASSWORD = "bench-admin-pass-7Qx";
    private static final String REDIS_ADMIN = "bench-admin";
    private static final String REDIS_ADMIN_PASSWORD = "bench-redis-admin-pass-4Wd";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Driver DRIVER = new Driver();
    /** Rotor's Jedis settings: no CLIENT SETINFO on connect. */
    private static final DefaultJedisClientConfig JEDIS = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(10_000).socketTimeoutMillis(10_000)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();

    private final int users;
    private final EmbeddedServer postgres = EmbeddedServer.get();
    private final int redisPort;
    private final Path work;
    private final Path manifest;
    private final Path pgLog;
    private final Map<String, String> env = Map.of("PG_ADMIN_PASSWORD", PG_ADMIN_PASSWORD,
            "REDIS_ADMIN_PASSWORD", REDIS_ADMIN_PASSWORD);

    /** One timed run: wall nanos, named parts (nanos), and what reached the servers. */
    record Run(long nanos, Map<String, Long> parts, ServerCounts counts) {
    }

    /** Deltas over one run: PostgreSQL connections (admin, other users) and statements; Redis connections, commands. */
    record ServerCounts(long pgAdminLogins, long pgUserLogins, long pgStatements, long redisConnections,
                        long redisCommands) {
    }

    private StrategiesBenchmark(int users, int redisPort) throws Exception {
        this.users = users;
        this.redisPort = redisPort;
        work = Files.createTempDirectory("rotor-strategies-bench-");
        manifest = work.resolve("rotation.yml");
        Method log = EmbeddedServer.class.getDeclaredMethod("log");
        log.setAccessible(true);
        pgLog = (Path) log.invoke(postgres);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int users = Integer.parseInt(options.getOrDefault("--users", "50"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "2"));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "5"));
        int grants = Integer.parseInt(options.getOrDefault("--grants", "3"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path redisDir = Files.createTempDirectory("rotor-strategies-redis-");
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("dir " + redisDir)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        try {
            StrategiesBenchmark bench = new StrategiesBenchmark(users, port);
            bench.setUp(grants);
            bench.run(warmup, runs, grants);
        } finally {
            redis.stop();
        }
        System.exit(0); // zonky stops PostgreSQL in its shutdown hook
    }

    // ---------------------------------------------------------------- set-up

    private static String pgUser(String side, int i) {
        return String.format(Locale.ROOT, "bench_%s_%02d", side, i);
    }

    private static String redisUser(String side, int i) {
        return String.format(Locale.ROOT, "bench-%s-%02d", side, i);
    }

    /**
     * PostgreSQL: an admin with CREATEROLE that owns schema {@code bench} and its tables, a group role, and for Rotor
     * and for the floor {@code users} roles each, each granted (by the admin) USAGE on the schema, SELECT, INSERT,
     * UPDATE on {@code grants} tables and membership in the group. Redis: an admin with +acl, and the ACL users.
     */
    private void setUp(int grants) throws IOException {
        postgres.sql("CREATE ROLE " + PG_ADMIN + " LOGIN CREATEROLE PASSWORD '" + PG_ADMIN_PASSWORD + "'",
                "CREATE ROLE bench_readers NOLOGIN",
                "GRANT bench_readers TO " + PG_ADMIN + " WITH ADMIN OPTION",
                "CREATE SCHEMA bench AUTHORIZATION " + PG_ADMIN,
                "ALTER SYSTEM SET log_connections = on",
                "SELECT pg_reload_conf()");
        List<String> sql = new ArrayList<>();
        int tables = users * grants;
        for (int t = 1; t <= tables; t++) {
            sql.add("CREATE TABLE bench.t" + t + " (id int PRIMARY KEY, note text)");
            sql.add("ALTER TABLE bench.t" + t + " OWNER TO " + PG_ADMIN);
        }
        for (String side : List.of("rotor", "floor")) {
            for (int i = 1; i <= users; i++) {
                String role = pgUser(side, i);
                sql.add("CREATE ROLE " + role + " LOGIN PASSWORD 'initial-" + role + "'");
                sql.add("GRANT " + role + " TO " + PG_ADMIN + " WITH ADMIN OPTION");
                sql.add("SET ROLE " + PG_ADMIN);
                sql.add("GRANT USAGE ON SCHEMA bench TO " + role);
                sql.add("GRANT bench_readers TO " + role);
                for (int g = 0; g < grants; g++) {
                    sql.add("GRANT SELECT, INSERT, UPDATE ON bench.t" + ((i - 1) * grants + g + 1) + " TO " + role);
                }
                sql.add("RESET ROLE");
            }
        }
        postgres.sql(sql.toArray(String[]::new));
        redis(j -> j.aclSetUser(REDIS_ADMIN, "reset", "on", ">" + REDIS_ADMIN_PASSWORD, "+acl", "+ping"));
        for (String side : List.of("rotor", "floor")) {
            for (int i = 1; i <= users; i++) {
                String user = redisUser(side, i);
                redis(j -> j.aclSetUser(user, "reset", "on", ">initial-" + user, "~cache:" + user + ":*",
                        "resetchannels", "&events:" + user, "+get", "+set", "+ping"));
            }
        }
        Files.createDirectories(work.resolve("keys"));
        Files.createDirectories(work.resolve("state"));
        StringBuilder yaml = new StringBuilder("""
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  state: { type: files, directory: state }
                  pg: { type: postgres, host: localhost, port: %d, database: postgres, user: %s,
                        password: "${env:PG_ADMIN_PASSWORD}", sslmode: disable }
                  cache: { type: redis, host: 127.0.0.1, port: %d, username: %s,
                           password: "${env:REDIS_ADMIN_PASSWORD}", persist: none }
                secrets:
                """.formatted(postgres.port(), PG_ADMIN, redisPort, REDIS_ADMIN));
        for (int i = 1; i <= users; i++) {
            String n = String.format(Locale.ROOT, "%02d", i);
            yaml.append(secret("pg-login-" + n, "pg", pgUser("rotor", i), "alternating-users",
                    "{ store: keys, name: pg-" + n + "-user, value: \"${secret.username}\" }",
                    "{ store: keys, name: pg-" + n + "-url, value: "
                            + "\"postgresql://${secret.username}:${secret.password.url}@localhost/postgres\" }"));
        }
        for (int i = 1; i <= users; i++) {
            String n = String.format(Locale.ROOT, "%02d", i);
            yaml.append(secret("redis-pass-" + n, "cache", redisUser("rotor", i), "dual-password",
                    "{ store: keys, name: redis-" + n + "-password }"));
        }
        Files.writeString(manifest, yaml);
    }

    /** One manifest entry: a 32-character password, its owner's user, the strategy, the journal on {@code state}. */
    private static String secret(String name, String store, String user, String strategy, String... targets) {
        StringBuilder yaml = new StringBuilder("""
                  %s:
                    generate: { type: password, length: 32 }
                    owner: { store: %s, user: %s }
                    strategy: %s
                    journal: state
                    targets:
                """.formatted(name, store, user, strategy));
        for (String target : targets) {
            yaml.append("      - ").append(target).append('\n');
        }
        return yaml.toString();
    }

    private <T> T redis(Function<Jedis, T> command) {
        try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
            return command.apply(jedis);
        }
    }

    // ---------------------------------------------------------------- measuring

    private void run(int warmup, int runs, int grants) throws Exception {
        Floor floor = new Floor();
        for (int i = 0; i < warmup; i++) {
            measured(() -> rotor("rotate"));
            measured(floor::run);
            measured(() -> rotor("rotate", "--dry-run"));
        }
        List<Run> rotor = new ArrayList<>();
        List<Run> floors = new ArrayList<>();
        List<Run> dry = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            rotor.add(measured(() -> rotor("rotate")));
            floors.add(measured(floor::run));
            dry.add(measured(() -> rotor("rotate", "--dry-run")));
        }
        floor.close();
        report(rotor, floors, dry, warmup, runs, grants);
    }

    private interface Timed {
        Map<String, Long> run() throws Exception;
    }

    /**
     * Times one run and reads the servers' counters around it (outside the timed part, as is the stand-in of
     * {@link #restoreAdoptedRoles}: the harness's own logins as {@code postgres} are not counted).
     */
    private Run measured(Timed timed) throws Exception {
        restoreAdoptedRoles();
        long logStart = Files.size(pgLog);
        Map<String, Long> redisBefore = redisStats();
        long start = System.nanoTime();
        Map<String, Long> parts = timed.run();
        long nanos = System.nanoTime() - start;
        Map<String, Long> redisAfter = redisStats();
        Thread.sleep(200); // the server writes its log lines after replying
        ServerCounts counts = pgCounts(logStart);
        // The INFO call itself is one command on one connection: not the run's.
        counts = new ServerCounts(counts.pgAdminLogins, counts.pgUserLogins, counts.pgStatements,
                redisAfter.get("total_connections_received") - redisBefore.get("total_connections_received") - 1,
                redisAfter.get("total_commands_processed") - redisBefore.get("total_commands_processed") - 1);
        return new Run(nanos, parts, counts);
    }

    private Map<String, Long> redisStats() {
        String info = redis(j -> j.info("stats"));
        Map<String, Long> stats = new HashMap<>();
        info.lines().map(line -> line.split(":", 2)).filter(kv -> kv.length == 2 && kv[1].trim().matches("\\d+"))
                .forEach(kv -> stats.put(kv[0], Long.parseLong(kv[1].trim())));
        return stats;
    }

    /** Connections authorized (the admin's and others') and statements logged since {@code offset}. */
    private ServerCounts pgCounts(long offset) throws IOException {
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(pgLog.toFile(), "r")) {
            bytes = new byte[(int) (file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
        }
        long admin = 0;
        long others = 0;
        long statements = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("connection authorized: user=" + PG_ADMIN + " ")) {
                admin++;
            } else if (line.contains("connection authorized: user=") && !line.contains("user=postgres ")) {
                others++;
            } else if (line.contains("LOG:  statement: ") || line.contains("LOG:  execute ")) {
                statements++;
            }
        }
        return new ServerCounts(admin, others, statements, 0, 0);
    }

    /**
     * Works around a defect (reported with this benchmark): PostgresOwner.preflight checks the owner's configured
     * {@code user}, the role Rotor adopted, not the active one, so once the first rotation dropped it every later run
     * is refused ("role ... does not exist"). An empty stand-in of each adopted role, made before each run and outside
     * the timing, lets the preflight pass; the rotation itself works on the active role as it should.
     */
    private void restoreAdoptedRoles() {
        List<String> sql = new ArrayList<>();
        for (int i = 1; i <= users; i++) {
            String role = pgUser("rotor", i);
            sql.add("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                    + "CREATE ROLE " + role + " LOGIN; GRANT " + role + " TO " + PG_ADMIN + " WITH ADMIN OPTION; "
                    + "END IF; END $$");
        }
        postgres.sql(sql.toArray(String[]::new));
    }

    /** One in-process {@code rotor ARGS}; parts: nanos per engine step summed over the PostgreSQL and Redis units. */
    private Map<String, Long> rotor(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", manifest.toString()));
        List<Object[]> events = new ArrayList<>();
        long start = System.nanoTime();
        StepHook hook = (unit, step) -> events.add(new Object[] {unit, step, System.nanoTime()});
        RotorRunner.Result result = RotorRunner.run(env, Clock.systemUTC(), hook, full.toArray(String[]::new));
        long end = System.nanoTime();
        boolean dryRun = full.contains("--dry-run");
        long rotated = result.out().lines().filter(line -> line.matches("(pg-login|redis-pass)-\\d+: rotated.*")).count();
        if (result.exit() != 0 || !dryRun && rotated != 2L * users) {
            String err = String.join("\n", result.err().lines().limit(30).toList());
            throw new IllegalStateException("rotor " + String.join(" ", args) + " exited " + result.exit() + ", "
                    + rotated + " rotated; its stderr:\n" + err);
        }
        return stepParts(events, start, end);
    }

    /**
     * Time between consecutive hook calls, by step and kind of unit: {@code pg plan}, {@code redis owner}... The
     * engine plans every unit first (preflight, journal load: ends at PLAN), then runs each unit's steps; a step's
     * time runs from the previous hook call (the first PENDING of a unit: from the previous unit's FINISH).
     */
    private static Map<String, Long> stepParts(List<Object[]> events, long start, long end) {
        Map<String, Long> parts = new LinkedHashMap<>();
        long previous = start;
        for (Object[] event : events) {
            String kind = ((String) event[0]).startsWith("pg-") ? "pg" : "redis";
            long at = (long) event[2];
            parts.merge(kind + " " + ((Step) event[1]).label(), at - previous, Long::sum);
            previous = at;
        }
        parts.put("report and exit", end - previous);
        return parts;
    }

    // ---------------------------------------------------------------- the floor

    /**
     * What Rotor's owners send, by hand: one admin connection to PostgreSQL and one to Redis for every statement and
     * command, and one fresh login per secret as the new user or with the new password. Rotates its own users
     * ({@code bench_floor_NN}, {@code bench-floor-NN}), so Rotor's and the floor's runs do not meet.
     */
    private final class Floor implements AutoCloseable {
        private final Connection pg;
        private final Jedis redis;
        private final int version;
        private final Owner owner;
        private final Method roles;
        private final Method holds;
        private final Method read;
        private final Method changesToMatch;
        private final Method revokeAll;
        private final String[] active = new String[users];
        private int generation = 1;

        Floor() throws Exception {
            pg = pgConnect(PG_ADMIN, PG_ADMIN_PASSWORD);
            try (Statement statement = pg.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
                row.next();
                version = row.getInt(1);
            }
            redis = new Jedis(new HostAndPort("127.0.0.1", redisPort), JEDIS);
            redis.auth(REDIS_ADMIN, REDIS_ADMIN_PASSWORD);
            for (int i = 0; i < users; i++) {
                active[i] = pgUser("floor", i + 1);
            }
            Map<String, Object> settings = Map.of("host", "localhost", "port", String.valueOf(postgres.port()),
                    "database", "postgres", "user", PG_ADMIN, "password", PG_ADMIN_PASSWORD, "sslmode", "disable");
            owner = new PostgresProvider().openOwner("pg", settings, Map.of("user", active[0]),
                    new ProviderContext(Map.of(), work, Clock.systemUTC(), line -> { }));
            Class<?> privileges = Class.forName("dev.rotor.store.postgres.RolePrivileges");
            roles = accessible(owner.getClass().getDeclaredMethod("roles", Connection.class, String.class, String.class));
            holds = accessible(owner.getClass().getDeclaredMethod("holds", Connection.class, String.class));
            read = accessible(privileges.getDeclaredMethod("read", Connection.class, int.class, String[].class));
            changesToMatch = accessible(privileges.getDeclaredMethod("changesToMatch", privileges, String.class,
                    int.class));
            revokeAll = accessible(privileges.getDeclaredMethod("revokeAll", String.class));
        }

        private static Method accessible(Method method) {
            method.setAccessible(true);
            return method;
        }

        /** Parts (nanos), named after the engine step that does the same work. */
        Map<String, Long> run() throws Exception {
            Map<String, Long> parts = new LinkedHashMap<>();
            generation++;
            long t = System.nanoTime();
            // The plan: every unit's preflight first, as the engine does.
            for (int i = 0; i < users; i++) {
                pgPreflight(active[i]);
            }
            for (int i = 1; i <= users; i++) {
                String user = redisUser("floor", i);
                redis.aclGetUser(user);
                redis.aclSetUser(user);
            }
            t = lap(parts, "plan (preflights)", t);
            for (int i = 0; i < users; i++) {
                String next = pgUser("floor", i + 1) + "_v" + generation;
                String password = password();
                createUserLike(next, password, active[i]);
                t = lap(parts, "pg create like (rotor: pg owner)", t);
                try (Connection login = pgConnect(next, password);
                     Statement statement = login.createStatement();
                     ResultSet row = statement.executeQuery("SELECT 1")) {
                    row.next();
                }
                t = lap(parts, "pg login (rotor: pg test)", t);
                drop(active[i]);
                active[i] = next;
                t = lap(parts, "pg drop old (rotor: in pg finish)", t);
            }
            for (int i = 1; i <= users; i++) {
                String user = redisUser("floor", i);
                String password = password();
                String hash = sha256(password);
                redis.aclGetUser(user);
                redis.aclSetUser(user, "#" + hash);
                t = lap(parts, "redis add hash (rotor: redis owner)", t);
                try (Jedis login = new Jedis(new HostAndPort("127.0.0.1", redisPort), JEDIS)) {
                    login.auth(user, password);
                    login.ping();
                }
                t = lap(parts, "redis login (rotor: redis test)", t);
                redis.aclGetUser(user);
                redis.aclSetUser(user, "resetpass", "#" + hash);
                t = lap(parts, "redis keep only the new hash (rotor: in redis finish)", t);
            }
            return parts;
        }

        private long lap(Map<String, Long> parts, String name, long since) {
            long now = System.nanoTime();
            parts.merge(name, now - since, Long::sum);
            return now;
        }

        /** The catalog row PostgresOwner.preflight reads (its joins and pg_has_role; fewer columns). */
        private void pgPreflight(String role) throws SQLException {
            try (PreparedStatement statement = pg.prepareStatement("SELECT a.rolsuper, r.oid IS NOT NULL, "
                    + "pg_has_role(current_user, r.oid, 'MEMBER WITH ADMIN OPTION'), "
                    + "current_setting('server_version_num')::int FROM pg_roles a LEFT JOIN pg_roles r "
                    + "ON r.rolname = ? WHERE a.rolname = current_user")) {
                statement.setString(1, role);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                }
            }
        }

        /** PostgresOwner.createUserLike's statements for a new role, in one transaction. */
        private void createUserLike(String user, String password, String like) throws Exception {
            pg.setAutoCommit(false);
            call(roles, null, pg, user, like);
            String quoted = Utils.escapeIdentifier(null, user).toString();
            execute("CREATE ROLE " + quoted + " LOGIN");
            char[] secret = password.toCharArray();
            pg.unwrap(PGConnection.class).alterUserPassword(user, secret, "scram-sha-256");
            Arrays.fill(secret, '\0');
            while (true) {
                Map<?, ?> privileges = (Map<?, ?>) call(read, null, pg, version, new String[] {user, like});
                List<?> changes = (List<?>) call(changesToMatch, privileges.get(user), privileges.get(like), quoted,
                        version);
                if (changes.isEmpty()) {
                    break;
                }
                for (Object change : changes) {
                    execute((String) change);
                }
            }
            pg.commit();
            pg.setAutoCommit(true);
        }

        /** PostgresOwner.removeUser's statements for a role without sessions or objects: check, revoke, drop. */
        private void drop(String user) throws Exception {
            call(holds, owner, pg, user);
            pg.setAutoCommit(false);
            String quoted = Utils.escapeIdentifier(null, user).toString();
            Map<?, ?> privileges = (Map<?, ?>) call(read, null, pg, version, new String[] {user});
            for (Object revoke : (List<?>) call(revokeAll, privileges.get(user), quoted)) {
                execute((String) revoke);
            }
            execute("DROP ROLE " + quoted);
            pg.commit();
            pg.setAutoCommit(true);
        }

        private void execute(String sql) throws SQLException {
            try (Statement statement = pg.createStatement()) {
                statement.execute(sql);
            }
        }

        private Object call(Method method, Object on, Object... args) throws Exception {
            try {
                return method.invoke(on, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        @Override
        public void close() throws SQLException {
            pg.close();
            redis.close();
        }
    }

    private Connection pgConnect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("sslmode", "disable");
        properties.setProperty("ApplicationName", "rotor-floor");
        return DRIVER.connect("jdbc:postgresql://localhost:" + postgres.port() + "/postgres", properties);
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String value) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- report

    private void report(List<Run> rotor, List<Run> floor, List<Run> dry, int warmup, int runs, int grants) {
        int secrets = 2 * users;
        System.out.println();
        System.out.printf(Locale.ROOT, "StrategiesBenchmark: %d PostgreSQL roles (alternating-users, %d privileges + 1 "
                        + "membership each, old role dropped in the run) + %d Redis ACL users (dual-password); "
                        + "%d files targets, journal on a files store; %d warm-up + %d measured runs, interleaved%n",
                users, 1 + 3 * grants, users, 3 * users, warmup, runs);
        System.out.printf(Locale.ROOT, "Java %s, %d cores%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| figure | wall median | min-max | per secret (median) |");
        System.out.println("|---|---|---|---|");
        row("rotor rotate, " + secrets + " secrets", rotor, secrets);
        row("rotor rotate --dry-run (plan: preflights, journal loads)", dry, secrets);
        row("floor: same statements, 1 admin connection per server + 1 login per secret", floor, secrets);
        System.out.printf(Locale.ROOT, "| rotate / floor | %.2fx | | target: within 3x |%n",
                medianWall(rotor) / medianWall(floor));
        System.out.println();
        System.out.println("Where the time goes (median over the measured runs, ms per run; per secret in brackets):");
        System.out.println("| part | rotor | floor |");
        System.out.println("|---|---|---|");
        Map<String, List<Long>> rotorParts = parts(rotor);
        Map<String, List<Long>> floorParts = parts(floor);
        for (String part : rotorParts.keySet()) {
            System.out.printf(Locale.ROOT, "| rotor: %s | %s | |%n", part, partCell(rotorParts.get(part)));
        }
        for (String part : floorParts.keySet()) {
            System.out.printf(Locale.ROOT, "| floor: %s | | %s |%n", part, partCell(floorParts.get(part)));
        }
        System.out.println();
        System.out.println("What reached the servers in one run (medians; per secret of that server in brackets):");
        System.out.println("| | rotor | floor | rotor --dry-run |");
        System.out.println("|---|---|---|---|");
        countRow("PostgreSQL logins as the admin", Run -> Run.counts.pgAdminLogins, rotor, floor, dry);
        countRow("PostgreSQL logins as a rotated user", Run -> Run.counts.pgUserLogins, rotor, floor, dry);
        countRow("PostgreSQL statements (log_statement)", Run -> Run.counts.pgStatements, rotor, floor, dry);
        countRow("Redis connections", Run -> Run.counts.redisConnections, rotor, floor, dry);
        countRow("Redis commands (AUTH, ACL ..., PING)", Run -> Run.counts.redisCommands, rotor, floor, dry);
    }

    private static void row(String figure, List<Run> runs, int secrets) {
        long[] sorted = runs.stream().mapToLong(Run::nanos).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f-%.2f s | %.1f ms |%n", figure, medianWall(runs) / 1e9,
                sorted[0] / 1e9, sorted[sorted.length - 1] / 1e9, medianWall(runs) / 1e6 / secrets);
    }

    private static double medianWall(List<Run> runs) {
        return median(runs.stream().map(Run::nanos).toList());
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static Map<String, List<Long>> parts(List<Run> runs) {
        Map<String, List<Long>> parts = new LinkedHashMap<>();
        runs.forEach(run -> run.parts.forEach((name, nanos) -> parts.computeIfAbsent(name, k -> new ArrayList<>())
                .add(nanos)));
        return parts;
    }

    private String partCell(List<Long> nanos) {
        double ms = median(nanos) / 1e6;
        return String.format(Locale.ROOT, "%.0f (%.2f)", ms, ms / users);
    }

    private void countRow(String what, java.util.function.ToLongFunction<Run> count, List<Run> rotor, List<Run> floor,
                          List<Run> dry) {
        StringBuilder line = new StringBuilder("| " + what + " |");
        for (List<Run> runs : List.of(rotor, floor, dry)) {
            double median = median(runs.stream().map(count::applyAsLong).toList());
            line.append(String.format(Locale.ROOT, " %.0f (%.1f) |", median, median / users));
        }
        System.out.println(line);
    }
}
