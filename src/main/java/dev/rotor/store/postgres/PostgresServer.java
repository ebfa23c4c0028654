package dev.rotor.store.postgres;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;
import org.postgresql.Driver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The rendered settings of a {@code type: postgres} store: where the server is and how Rotor logs in as its admin. */
final class PostgresServer {
    static final Set<String> KEYS = Set.of("host", "port", "database", "user", "password", "sslmode");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final Driver DRIVER = new Driver();

    final String storeName;
    final String host;
    final int port;
    final String database;
    final String adminUser;
    private final String adminPassword;
    final String sslmode;

    private PostgresServer(String storeName, String host, int port, String database, String adminUser,
                           String adminPassword, String sslmode) {
        this.storeName = storeName;
        this.host = host;
        this.port = port;
        this.database = database;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.sslmode = sslmode;
    }

    static PostgresServer of(String storeName, Map<String, Object> settings) {
        List<KeyProblem> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (postgres): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()), "see docs/postgres.md");
        }
        return new PostgresServer(storeName, text(settings, "host", null), Integer.parseInt(text(settings, "port",
                "5432")), text(settings, "database", "postgres"), text(settings, "user", null),
                text(settings, "password", null), text(settings, "sslmode", "prefer"));
    }

    /** Every problem of the settings, each at its key: {@link #of} refuses them, validate reports them. */
    static List<KeyProblem> problems(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        for (String key : List.of("host", "user", "password")) {
            if (text(settings, key, null) == null) {
                problems.add(new KeyProblem(key, "'" + key + "' is required", "give it a value"));
            }
        }
        String port = text(settings, "port", "5432");
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            problems.add(new KeyProblem("port", "'port' must be a number from 1 to 65535", "e.g. port: 5432"));
        }
        if (!SSL_MODES.contains(text(settings, "sslmode", "prefer"))) {
            problems.add(new KeyProblem("sslmode", "'sslmode' must be one of disable, allow, prefer, require, "
                    + "verify-ca, verify-full", "use verify-full (or at least require) anywhere but a local server"));
        }
        return problems;
    }

    private static String text(Map<String, Object> settings, String key, String fallback) {
        Object value = settings.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }

    /** {@code host:port/database} as messages name it (never a user's password). */
    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /** What identifies the admin login, for {@link AdminConnection}: owners with equal ones share a connection. */
    List<Object> adminLogin() {
        return List.of(host, port, database, adminUser, adminPassword, sslmode);
    }

    Connection connectAsAdmin() throws SQLException {
        return connect(adminUser, adminPassword);
    }

    Connection connect(String user, String password) throws SQLException {
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("sslmode", sslmode);
        properties.setProperty("ApplicationName", "rotor");
        // Rotor needs PostgreSQL 10+ (SCRAM): with that assumed, pgjdbc puts application_name in the startup packet
        // instead of sending SET application_name after each login (one round trip less per login).
        properties.setProperty("assumeMinServerVersion", "10");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "15");
        properties.setProperty("socketTimeout", "60");
        Connection connection = DRIVER.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept the address", "08001");
        }
        return connection;
    }
}
