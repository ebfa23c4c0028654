package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.AccessControlUser;

import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Redis ACL user's password. An ACL user holds several passwords, so the old one (known to Rotor or set by hand)
 * stays valid until retire, which leaves only the new one. Passwords travel only as SHA-256 hashes ({@code #hash}
 * to add, {@code resetpass #hash} to keep only that one), so a value never shows
 * in SLOWLOG, MONITOR or an error reply; only {@link #test} sends a value, in an AUTH Redis redacts. Jedis
 * exceptions are never chained: messages name the operation, user and server only.
 */
final class RedisAclOwner implements Owner {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final RedisSettings settings;
    private final String user;
    private final Consumer<String> progress;
    private boolean warnedUnsaved;

    RedisAclOwner(RedisSettings settings, String user, Consumer<String> progress) {
        this.settings = settings;
        this.user = user;
        this.progress = progress == null ? line -> { } : progress;
    }

    @Override
    public Set<Ability> abilities() {
        return Set.of(Ability.SEVERAL_CREDENTIALS);
    }

    /** Logs in as the admin, finds the user and checks the admin may change it; changes nothing. */
    @Override
    public void preflight() {
        if (user.equals(settings.username())) {
            throw new StoreException(Kind.INVALID, settings.where() + ": user '" + user
                    + "' is the admin Rotor connects as; rotating it would lock Rotor out",
                    "connect as another ACL user with +acl (username:) to rotate '" + user + "'");
        }
        try (Session session = new Session()) {
            existingUser(session, "check");
            // ACL SETUSER with no rules changes nothing on an existing user, and fails with NOPERM without +acl.
            session.run("ACL SETUSER (permission check)", jedis -> jedis.aclSetUser(user));
        }
    }

    @Override
    public void accept(String newValue, String oldValue) {
        String hash = hash(newValue);
        try (Session session = new Session()) {
            existingUser(session, "accept");
            // Adding a hash the user already holds is a no-op in Redis: accept is idempotent.
            session.run("ACL SETUSER (add a password)", jedis -> jedis.aclSetUser(user, "#" + hash));
            persist(session);
        }
    }

    @Override
    public java.util.Optional<String> test(String value) {
        try (Session session = new Session(false)) {
            try {
                session.jedis.auth(user, value);
            } catch (JedisConnectionException e) {
                throw session.failure("AUTH", e);
            } catch (JedisException e) {
                throw new StoreException(Kind.PERMISSION, settings.where() + ": a login as user '" + user
                        + "' with the value under test was refused",
                        "the value is not (or no longer) one of the user's passwords; run the rotation again");
            }
            try {
                session.jedis.ping();
            } catch (JedisAccessControlException e) {
                // Logged in; this user may not run PING. The credential works, which is all test asks.
            } catch (JedisException e) {
                throw session.failure("PING", e);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Leaves {@code keptValue} as the user's only password with one atomic {@code ACL SETUSER user resetpass #hash}:
     * the old value and any password set by hand before Rotor knew it stop working together; the user's other
     * rules (on/off, keys, channels, commands) are untouched.
     */
    @Override
    public void retire(String oldValue, List<String> keptValues) {
        List<String> hashes = keptValues.stream().map(RedisAclOwner::hash).distinct().toList();
        try (Session session = new Session()) {
            if (new java.util.HashSet<>(passwords(existingUser(session, "retire"))).equals(new java.util.HashSet<>(hashes))) {
                return; // already retired (a resumed run)
            }
            String[] rules = java.util.stream.Stream.concat(java.util.stream.Stream.of("resetpass"),
                    hashes.stream().map(hash -> "#" + hash)).toArray(String[]::new);
            session.run("ACL SETUSER (keep only the new password)", jedis -> jedis.aclSetUser(user, rules));
            persist(session);
        }
    }

    private AccessControlUser existingUser(Session session, String step) {
        AccessControlUser found = session.run("ACL GETUSER", jedis -> jedis.aclGetUser(user));
        if (found == null) {
            throw new StoreException(Kind.NOT_FOUND, settings.where() + ": ACL user '" + user + "' does not exist ("
                    + step + ")", "create it first (ACL SETUSER " + user + " on ...), or fix owner.user");
        }
        return found;
    }

    private static List<String> passwords(AccessControlUser found) {
        List<String> passwords = found.getPasswords();
        return passwords == null ? List.of() : passwords;
    }

    private void persist(Session session) {
        switch (settings.persist()) {
            case NONE -> { }
            case ACL_SAVE -> session.run("ACL SAVE", Jedis::aclSave);
            case CONFIG_REWRITE -> session.run("CONFIG REWRITE", Jedis::configRewrite);
            case AUTO -> {
                try {
                    session.jedis.aclSave();
                } catch (JedisConnectionException e) {
                    throw session.failure("ACL SAVE", e);
                } catch (JedisException e) {
                    if (!warnedUnsaved) {
                        warnedUnsaved = true;
                        progress.accept("  warning: " + settings.where() + ": ACL SAVE did not run (" + why(e)
                                + "); the ACL change for user '" + user + "' lives in memory until the server saves"
                                + " it. Set persist: config-rewrite if the users are defined in redis.conf,"
                                + " or persist: none to silence this");
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static String why(JedisException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof JedisAccessControlException) {
            return "the admin may not run it";
        }
        if (message.contains("acl file") || message.contains("aclfile")) {
            return "the server uses no ACL file";
        }
        if (message.contains("unknown") || message.contains("disabled")) {
            return "the server does not offer it";
        }
        return "the server refused it";
    }

    /** SHA-256 of the UTF-8 bytes in lower-case hex: what Redis stores and compares for a password. */
    static String hash(String value) {
        if (value == null) {
            throw new StoreException(Kind.INVALID, "a Redis password must not be null");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM");
        }
    }

    /** One connection, logged in as the admin (or not logged in, for {@link #test}). */
    private final class Session implements AutoCloseable {
        final Jedis jedis;

        Session() {
            this(true);
        }

        Session(boolean asAdmin) {
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(TIMEOUT_MILLIS)
                    .socketTimeoutMillis(TIMEOUT_MILLIS)
                    .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
            if (settings.tls()) {
                SSLParameters parameters = new SSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                config.ssl(true).sslParameters(parameters);
            }
            try {
                jedis = new Jedis(new HostAndPort(settings.host(), settings.port()), config.build());
            } catch (JedisException e) {
                throw failure("connect", e);
            }
            if (asAdmin) {
                try {
                    jedis.auth(settings.username(), settings.password());
                } catch (JedisConnectionException e) {
                    close();
                    throw failure("AUTH as admin '" + settings.username() + "'", e);
                } catch (JedisException e) {
                    close();
                    throw new StoreException(Kind.PERMISSION, settings.where() + ": the login as admin '"
                            + settings.username() + "' was refused", "check the store's username and password");
                }
                if (settings.database() != 0) {
                    run("SELECT", j -> j.select(settings.database()));
                }
            }
        }

        <T> T run(String operation, Function<Jedis, T> command) {
            try {
                return command.apply(jedis);
            } catch (JedisException e) {
                throw failure(operation, e);
            }
        }

        /** A StoreException naming the operation, user and server; the Jedis exception is not chained. */
        StoreException failure(String operation, JedisException e) {
            String prefix = settings.where() + ": " + operation + " for user '" + user + "' failed";
            if (e instanceof JedisConnectionException) {
                return new StoreException(Kind.TRANSIENT, prefix + " (the server is unreachable or did not answer)",
                        "check host, port and tls, and that this machine can reach the server");
            }
            if (e instanceof JedisAccessControlException) {
                return new StoreException(Kind.PERMISSION, prefix + " (admin '" + settings.username()
                        + "' is not permitted)", "grant the admin +acl (ACL SETUSER " + settings.username()
                        + " +acl), or connect as a user that has it");
            }
            return new StoreException(Kind.FAILED, prefix + " (Redis answered " + errorCode(e) + ")");
        }

        @Override
        public void close() {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                // closing a broken connection: nothing to do
            }
        }
    }

    /** The error code Redis puts first in a reply (ERR, NOPERM...): never the rest, which may echo arguments. */
    private static String errorCode(JedisException e) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        String code = space < 0 ? message : message.substring(0, space);
        return code.matches("[A-Z]{2,20}") ? code : "an error";
    }
}
