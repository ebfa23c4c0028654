package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.ProviderContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Redis 6.2 (embedded-redis) on a free loopback port with its own directory, one per test class. The default
 * user stays password-less: the tests observe and set up through it; Rotor connects as {@link #ADMIN}, which may
 * run ACL and CLIENT LIST / CLIENT KILL (the permissions docs/redis.md asks for).
 */
public final class EmbeddedRedis implements BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN = "rotor-admin";
    public static final String ADMIN_PASSWORD = "admin-secret-for-tests";

    public int port;
    Path dir;
    final List<String> progress = new CopyOnWriteArrayList<>();
    private RedisServer server;

    /** Starts before the class's first test: use as {@code @RegisterExtension static final EmbeddedRedis redis}. */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            dir = Files.createTempDirectory("rotor-redis-");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("dir " + dir)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("slowlog-log-slower-than 0")
                    .setting("slowlog-max-len 100000")
                    .setting("acllog-max-len 1000");
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        observe(j -> j.aclSetUser(ADMIN, "reset", "on", ">" + ADMIN_PASSWORD, "+acl", "+ping", "+client|list",
                "+client|kill"));
    }

    /** Runs a command as the password-less default user (setup and observation, never through Rotor). */
    public <T> T observe(java.util.function.Function<Jedis, T> command) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return command.apply(jedis);
        }
    }

    /** (Re)creates an ACL user whose only password is {@code password}. */
    void user(String name, String password) {
        observe(j -> j.aclSetUser(name, "reset", "on", ">" + password, "~*", "&*", "+@all"));
    }

    /** Whether AUTH {@code user value} succeeds on a fresh connection. */
    public boolean loginWorks(String user, String value) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.auth(user, value);
            return true;
        } catch (JedisException e) {
            return false;
        }
    }

    /** A connection logged in as {@code user}, kept open until closed: an open session of that user. */
    Jedis session(String user, String value) {
        Jedis jedis = new Jedis("127.0.0.1", port);
        jedis.auth(user, value);
        return jedis;
    }

    /** The password hashes ACL GETUSER lists for {@code user}. */
    List<String> passwords(String user) {
        return observe(j -> j.aclGetUser(user)).getPasswords();
    }

    /** ACL GETUSER {@code user} as the server answers it, without its passwords: the rules a rotation must keep. */
    public Map<String, Object> rulesBesidePasswords(String user) {
        Map<String, Object> rules = new HashMap<>(observe(j -> j.aclGetUser(user)).getUserInfo());
        if (rules.remove("passwords") == null) {
            throw new IllegalStateException("ACL GETUSER listed no passwords: " + rules.keySet());
        }
        return rules;
    }

    Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("port", port);
        settings.put("username", ADMIN);
        settings.put("password", ADMIN_PASSWORD);
        return settings;
    }

    Owner owner(String user) {
        return owner(settings(), user);
    }

    /** An owner of {@code user} that reaches the server through {@code proxy}, which records what it sends. */
    Owner owner(RecordingProxy proxy, String user) {
        Map<String, Object> settings = settings();
        settings.put("port", proxy.port());
        return owner(settings, user);
    }

    Owner owner(Map<String, Object> settings, String user) {
        return owner(settings, Map.of("user", user));
    }

    Owner owner(Map<String, Object> settings, Map<String, Object> ownerOptions) {
        return new RedisProvider().openOwner("cache", settings, ownerOptions,
                new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), progress::add));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
