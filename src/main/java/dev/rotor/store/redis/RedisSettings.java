package dev.rotor.store.redis;

import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rendered settings of a {@code type: redis} store; {@link #toString()} never shows the password. */
record RedisSettings(String storeName, String host, int port, String username, String password, boolean tls,
                     int database, Persist persist) {

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
        List<String> problems = new ArrayList<>();
        String host = text(settings, "host");
        if (host == null) {
            problems.add("host is required");
        }
        String password = text(settings, "password");
        if (password == null) {
            problems.add("password is required (e.g. password: ${env:REDIS_ADMIN_PASSWORD})");
        }
        String username = text(settings, "username");
        int port = number(settings, "port", 6379, 1, 65535, problems);
        int database = number(settings, "database", 0, 0, Integer.MAX_VALUE, problems);
        boolean tls = false;
        String tlsText = text(settings, "tls");
        if (tlsText != null) {
            if (tlsText.equalsIgnoreCase("true") || tlsText.equalsIgnoreCase("false")) {
                tls = Boolean.parseBoolean(tlsText);
            } else {
                problems.add("tls must be true or false");
            }
        }
        Persist persist = Persist.AUTO;
        String persistText = text(settings, "persist");
        if (persistText != null) {
            persist = null;
            for (Persist candidate : Persist.values()) {
                if (candidate.setting().equals(persistText)) {
                    persist = candidate;
                }
            }
            if (persist == null) {
                problems.add("persist must be one of auto, acl-save, config-rewrite, none");
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID,
                    "store '" + storeName + "' (redis): " + String.join("; ", problems));
        }
        return new RedisSettings(storeName, host, port, username == null ? "default" : username, password, tls,
                database, persist);
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

    private static int number(Map<String, Object> settings, String key, int fallback, int min, int max,
                              List<String> problems) {
        String text = text(settings, key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max);
        return fallback;
    }
}
