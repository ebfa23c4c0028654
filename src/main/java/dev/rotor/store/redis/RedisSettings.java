package dev.rotor.store.redis;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rendered settings of a {@code type: redis} store; {@link #toString()} never shows the password. */
record RedisSettings(String storeName, String host, int port, String username, String password, boolean tls,
                     int database, Persist persist) {
    private static final int PORT_MAX = 65535;

    /** How an ACL change is made to survive a server restart. */
    enum Persist {
        /** ACL SAVE when the server has an ACL file; otherwise one warning, and the change lives in memory only. */
        AUTO,
        /** ACL SAVE, and fail when it fails (the server must use an aclfile). */
        ACL_SAVE,
        /** CONFIG REWRITE, for servers whose users are defined in redis.conf; fail when it fails. */
        CONFIG_REWRITE,
        /** Nothing: the server or its operator persists ACLs (managed services, ACL LOAD from elsewhere). */
        NONE;

        String setting() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static RedisSettings parse(String storeName, Map<String, Object> settings) {
        List<KeyProblem> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (redis): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()));
        }
        String username = text(settings, "username");
        return new RedisSettings(storeName, text(settings, "host"), whole(settings, "port", 6379, 1, PORT_MAX),
                username == null ? "default" : username, text(settings, "password"),
                Boolean.parseBoolean(text(settings, "tls")), whole(settings, "database", 0, 0, Integer.MAX_VALUE),
                persist(text(settings, "persist")));
    }

    /** Every problem of the settings, each at its key: {@link #parse} refuses them, validate reports them. */
    static List<KeyProblem> problems(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        if (text(settings, "host") == null) {
            problems.add(new KeyProblem("host", "host is required", "give the server's host name"));
        }
        if (text(settings, "password") == null) {
            problems.add(new KeyProblem("password", "password is required",
                    "e.g. password: ${env:REDIS_ADMIN_PASSWORD}"));
        }
        if (whole(settings, "port", 6379, 1, PORT_MAX) == null) {
            problems.add(new KeyProblem("port", "port must be a whole number from 1 to " + PORT_MAX,
                    "e.g. port: 6379"));
        }
        if (whole(settings, "database", 0, 0, Integer.MAX_VALUE) == null) {
            problems.add(new KeyProblem("database", "database must be a whole number, 0 or more", "e.g. database: 0"));
        }
        String tls = text(settings, "tls");
        if (tls != null && !tls.equalsIgnoreCase("true") && !tls.equalsIgnoreCase("false")) {
            problems.add(new KeyProblem("tls", "tls must be true or false", null));
        }
        if (persist(text(settings, "persist")) == null) {
            problems.add(new KeyProblem("persist", "persist must be one of auto, acl-save, config-rewrite, none",
                    "see docs/redis.md, Persistence"));
        }
        return problems;
    }

    /** The persist mode a setting names ({@code auto} when absent), or null when it names none. */
    private static Persist persist(String setting) {
        if (setting == null) {
            return Persist.AUTO;
        }
        for (Persist candidate : Persist.values()) {
            if (candidate.setting().equals(setting)) {
                return candidate;
            }
        }
        return null;
    }

    /** Names the server for messages: store name and address, never a credential. */
    String where() {
        return "store '" + storeName + "' (redis " + host + ":" + port + ")";
    }

    @Override
    public String toString() {
        return "RedisSettings[" + where() + ", username=" + username + ", tls=" + tls + ", database=" + database
                + ", persist=" + persist.setting() + ", password=***]";
    }

    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    /** The whole number at {@code key} ({@code fallback} when absent), or null when it is none or out of range. */
    private static Integer whole(Map<String, Object> settings, String key, int fallback, int min, int max) {
        String text = text(settings, key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            return value >= min && value <= max ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
