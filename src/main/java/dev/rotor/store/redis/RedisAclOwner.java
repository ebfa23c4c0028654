package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import dev.rotor.store.SharedConnection;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.resps.AccessControlUser;

import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A Redis ACL user's password, or (alternating users) a Redis ACL user. An ACL user holds several passwords, so the
 * old one (known to Rotor or set by hand) stays valid until retire, which leaves only the kept ones (dual-password:
 * CURRENT and a prepared NEXT). Alternating users copies the active user's rules from {@code ACL LIST} to the next
 * user in one {@code ACL SETUSER}. Passwords travel only as SHA-256 hashes ({@code #hash} to add,
 * {@code resetpass #hash...} to keep only those), so a value never shows in SLOWLOG, MONITOR or an error reply;
 * only {@link #test} sends a value, in an AUTH Redis redacts. Jedis exceptions are never chained: messages name the
 * operation, user and server only.
 */
final class RedisAclOwner implements Owner {
    private static final int TIMEOUT_MILLIS = 10_000;

    /** What {@link #removeUser} does to an old user ({@code retire-user} owner option). */
    enum RetireUser {
        /** ACL DELUSER: the user is gone, and Redis disconnects its clients. */
        DROP,
        /** ACL SETUSER user off: the user and its rules stay, new logins are refused. */
        NOLOGIN
    }

    private final RedisSettings settings;
    private final String user;
    private final RetireUser retireUser;
    private final Consumer<String> progress;
    /** Every admin step goes through it; login tests open their own connection. */
    private final SharedConnection<Jedis, RuntimeException> admin;
    private boolean warnedUnsaved;

    RedisAclOwner(RedisSettings settings, String user, RetireUser retireUser, Consumer<String> progress) {
        this.settings = settings;
        this.user = user;
        this.retireUser = retireUser;
        this.progress = progress == null ? line -> { } : progress;
        this.admin = AdminSession.of(settings);
    }

    /** Closes the admin connection this owner shares with the other owners on its server (reopened if used). */
    @Override
    public void close() {
        admin.close();
    }

    @Override
    public Set<Ability> abilities() {
        return Set.of(Ability.SEVERAL_CREDENTIALS, Ability.SEVERAL_USERS);
    }

    /** Logs in as the admin, finds the user and checks the admin may change it; changes nothing. */
    @Override
    public void preflight(String activeUser) {
        String checked = activeUser == null ? user : activeUser;
        refuseAdmin(checked, "rotating");
        asAdmin(checked, session -> {
            existingUser(session, checked, "check");
            // ACL SETUSER with no rules changes nothing on an existing user, and fails with NOPERM without +acl.
            return session.run("ACL SETUSER (permission check)", jedis -> jedis.aclSetUser(checked));
        });
    }

    @Override
    public void accept(String newValue, String oldValue) {
        String hash = hash(newValue);
        asAdmin(user, session -> {
            existingUser(session, "accept");
            // Adding a hash the user already holds is a no-op in Redis: accept is idempotent.
            session.run("ACL SETUSER (add a password)", jedis -> jedis.aclSetUser(user, "#" + hash));
            persist(session);
            return null;
        });
    }

    @Override
    public Optional<String> test(String value) {
        return test(user, value);
    }

    /**
     * AUTH as {@code login} on a fresh connection, then PING. Thread-safe: the downtime probe calls it from its own
     * thread while the rotation runs; each call has its own connection and touches no shared state.
     */
    @Override
    public Optional<String> test(String login, String value) {
        try (Session session = new Session(login, false)) {
            try {
                session.jedis.auth(login, value);
            } catch (JedisConnectionException e) {
                throw session.failure("AUTH", e);
            } catch (JedisException e) {
                throw new StoreException(Kind.PERMISSION, settings.where() + ": a login as user '" + login
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
        return Optional.empty();
    }

    /**
     * Leaves exactly {@code keptValues} as the user's passwords with one atomic
     * {@code ACL SETUSER user resetpass #hash...}: the old value and any password set by hand before Rotor knew it
     * stop working together, the kept ones never stop; the user's other rules (on/off, keys, channels, commands) are
     * untouched.
     */
    @Override
    public void retire(String oldValue, List<String> keptValues) {
        if (keptValues.isEmpty()) {
            throw new StoreException(Kind.INVALID, settings.where() + ": retire for user '" + user
                    + "' keeps no password; that would lock the user out");
        }
        List<String> hashes = keptValues.stream().map(RedisAclOwner::hash).distinct().toList();
        asAdmin(user, session -> {
            if (new HashSet<>(passwords(existingUser(session, "retire"))).equals(new HashSet<>(hashes))) {
                return null; // already retired (a resumed run)
            }
            String[] rules = Stream.concat(Stream.of("resetpass"), hashes.stream().map(hash -> "#" + hash))
                    .toArray(String[]::new);
            session.run("ACL SETUSER (keep only the listed passwords)", jedis -> jedis.aclSetUser(user, rules));
            persist(session);
            return null;
        });
    }

    /**
     * Makes {@code next} hold exactly {@code like}'s rules, as {@code ACL LIST} describes them (flags, keys,
     * channels, commands, Redis 7 selectors) without its passwords, and only {@code password}'s hash. A missing
     * {@code next} is created with one {@code ACL SETUSER next <rules> #hash}; one that holds other rules (a reused
     * old user) is deleted first, which also ends its sessions: {@code reset} cannot stand in, as it sets a
     * {@code sanitize-payload} flag {@code like} may lack, and MULTI would need more of the admin. One that already
     * holds exactly those rules (a resumed run) only has its password replaced, so its sessions stay. With
     * {@code like} null, {@code ACL SETUSER next on resetpass #hash}: its rules stay (a rollback to a user that
     * still exists).
     */
    @Override
    public void createUserLike(String next, String password, String like) {
        refuseAdmin(next, "resetting");
        String hash = "#" + hash(password);
        asAdmin(next, session -> {
            if (like == null) {
                existingUser(session, next, "reset its password");
                session.run("ACL SETUSER (on, a new password)",
                        jedis -> jedis.aclSetUser(next, "on", "resetpass", hash));
            } else {
                Map<String, List<String>> rules = rulesByUser(session.run("ACL LIST", Jedis::aclList));
                List<String> copied = rules.get(like);
                if (copied == null) {
                    throw new StoreException(Kind.NOT_FOUND, settings.where() + ": ACL user '" + like
                            + "' does not exist (the user to copy)", "name the active user (owner.user)");
                }
                if (!copied.contains("on")) {
                    throw new StoreException(Kind.INVALID, settings.where() + ": ACL user '" + like
                            + "' is off (cannot log in); a copy of its rules for user '" + next
                            + "' could not log in either", "name the active user, or turn '" + like + "' on");
                }
                String[] setUser = Stream.concat(Stream.of("SETUSER", next), Stream.concat(copied.stream(),
                        Stream.of(hash))).toArray(String[]::new);
                String operation = "ACL SETUSER (the rules of '" + like + "')";
                if (copied.equals(rules.get(next))) {
                    session.run("ACL SETUSER (a new password)", jedis -> jedis.aclSetUser(next, "resetpass", hash));
                } else {
                    if (rules.containsKey(next)) {
                        session.run("ACL DELUSER (to remake it)", jedis -> jedis.aclDelUser(next));
                    }
                    session.run(operation, jedis -> jedis.sendCommand(Protocol.Command.ACL, setUser));
                }
            }
            persist(session);
            return null;
        });
    }

    /**
     * Open sessions = CLIENT LIST entries logged in as {@code old}. Without an emergency they hold it back and
     * nothing changes. Else {@code drop}: ACL DELUSER, which also disconnects its clients; {@code nologin}: ACL SETUSER
     * old off, and with an emergency CLIENT KILL USER old.
     */
    @Override
    public Optional<String> removeUser(String old, boolean emergency) {
        refuseAdmin(old, "removing");
        return asAdmin(old, session -> {
            if (session.run("ACL GETUSER", jedis -> jedis.aclGetUser(old)) == null) {
                return Optional.empty();
            }
            long sessions = openSessions(session.run("CLIENT LIST", Jedis::clientList), old);
            if (sessions > 0 && !emergency) {
                return Optional.of(sessions + (sessions == 1 ? " open session" : " open sessions"));
            }
            switch (retireUser) {
                case DROP -> session.run("ACL DELUSER", jedis -> jedis.aclDelUser(old));
                case NOLOGIN -> {
                    session.run("ACL SETUSER (off)", jedis -> jedis.aclSetUser(old, "off"));
                    if (emergency) {
                        session.run("CLIENT KILL USER", jedis -> jedis.clientKill(new ClientKillParams().user(old)));
                    }
                }
                default -> throw new IllegalStateException();
            }
            persist(session);
            return Optional.<String>empty();
        });
    }

    /** The clients of a CLIENT LIST reply logged in as {@code login} (each line has a {@code user=NAME} field). */
    static long openSessions(String clientList, String login) {
        return clientList.lines().filter(line -> List.of(line.split(" ")).contains("user=" + login)).count();
    }

    /** Each user's rules from its ACL LIST line, without the {@code user NAME} prefix and password tokens. */
    static Map<String, List<String>> rulesByUser(List<String> aclList) {
        Map<String, List<String>> rules = new HashMap<>();
        for (String line : aclList) {
            List<String> tokens = aclTokens(line);
            if (tokens.size() >= 2 && tokens.get(0).equals("user")) {
                rules.put(tokens.get(1),
                        tokens.subList(2, tokens.size()).stream().filter(rule -> !isPassword(rule)).toList());
            }
        }
        return rules;
    }

    /**
     * An ACL LIST line split into rules: at spaces, except inside a Redis 7 selector, which runs from a token
     * starting with {@code (} to one ending with {@code )} and stays one rule (Redis merges it the same way).
     */
    static List<String> aclTokens(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder selector = null;
        for (String token : line.trim().split(" +")) {
            if (selector == null && token.startsWith("(") && !token.endsWith(")")) {
                selector = new StringBuilder(token);
            } else if (selector != null) {
                selector.append(' ').append(token);
                if (token.endsWith(")")) {
                    tokens.add(selector.toString());
                    selector = null;
                }
            } else {
                tokens.add(token);
            }
        }
        if (selector != null) {
            tokens.add(selector.toString());
        }
        return tokens;
    }

    private static boolean isPassword(String rule) {
        return rule.startsWith("#") || rule.startsWith(">") || rule.equals("nopass");
    }

    /** Rotor never changes the user it connects as: after the change its admin reference would be stale. */
    private void refuseAdmin(String target, String doing) {
        if (target.equals(settings.username())) {
            throw new StoreException(Kind.INVALID, settings.where() + ": user '" + target
                    + "' is the admin Rotor connects as; " + doing + " it would lock Rotor out",
                    "connect as another ACL user with +acl (username:) to change '" + target + "'");
        }
    }

    private AccessControlUser existingUser(Session session, String step) {
        return existingUser(session, user, step);
    }

    private AccessControlUser existingUser(Session session, String name, String step) {
        AccessControlUser found = session.run("ACL GETUSER", jedis -> jedis.aclGetUser(name));
        if (found == null) {
            throw new StoreException(Kind.NOT_FOUND, settings.where() + ": ACL user '" + name + "' does not exist ("
                    + step + ")", "create it first (ACL SETUSER " + name + " on ...), or fix owner.user");
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
                                + "); the ACL change for user '" + session.subject + "' lives in memory until the"
                                + " server saves it. Set persist: config-rewrite if the users are defined in"
                                + " redis.conf, or persist: none to silence this");
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

    /** Runs {@code work} on the admin connection of this server, logging in first when there is none. */
    private <T> T asAdmin(String subject, Function<Session, T> work) {
        return admin.use(() -> new Session(subject, true).jedis, jedis -> work.apply(new Session(subject, jedis)));
    }

    /**
     * One connection, logged in as the admin (or not logged in, for {@link #test}), to act on {@code subject}: the
     * user its messages name.
     */
    private final class Session implements AutoCloseable {
        final Jedis jedis;
        final String subject;

        /** The shared admin connection, acting on {@code subject}. */
        Session(String subject, Jedis jedis) {
            this.subject = subject;
            this.jedis = jedis;
        }

        /** A new connection; logged in as the admin when {@code asAdmin}. */
        Session(String subject, boolean asAdmin) {
            this.subject = subject;
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
            String prefix = settings.where() + ": " + operation + " for user '" + subject + "' failed";
            if (e instanceof JedisConnectionException) {
                return new StoreException(Kind.TRANSIENT, prefix + " (the server is unreachable or did not answer)",
                        "check host, port and tls, and that this machine can reach the server");
            }
            if (e instanceof JedisAccessControlException) {
                String needs = permissionFor(operation);
                return new StoreException(Kind.PERMISSION, prefix + " (admin '" + settings.username()
                        + "' is not permitted)", "grant the admin " + needs + " (ACL SETUSER " + settings.username()
                        + " " + needs + "), or connect as a user that has it");
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

    /** The ACL rules the admin needs for {@code operation} (see docs/redis.md, the admin). */
    private static String permissionFor(String operation) {
        if (operation.startsWith("CLIENT")) {
            return "+client|list +client|kill";
        }
        return operation.startsWith("CONFIG") ? "+config|rewrite" : "+acl";
    }

    /** The error code Redis puts first in a reply (ERR, NOPERM...): never the rest, which may echo arguments. */
    private static String errorCode(JedisException e) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        String code = space < 0 ? message : message.substring(0, space);
        return code.matches("[A-Z]{2,20}") ? code : "an error";
    }
}
