package dev.rotor.store.azurepostgres;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.Durations;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rendered settings of one {@code type: azure-postgres-flexible} store: which server ARM changes and where its
 * PostgreSQL endpoint answers for the login test. Runtime ({@link #parse}) and validate ({@link #check}) share one
 * reading, so a rule cannot be in one place and not the other.
 */
record FlexibleServerSettings(String subscription, String resourceGroup, String server, String managementUrl,
                              String host, int port, String database, String sslmode, Path caBundle,
                              Duration operationTimeout) {
    static final Set<String> KEYS = Set.of("subscription", "resource-group", "server", "management-url", "host",
            "port", "database", "sslmode", "ca-bundle", "operation-timeout");
    static final Set<String> REQUIRED = Set.of("subscription", "resource-group", "server");
    static final String PUBLIC_CLOUD = "https://management.azure.com";
    private static final String DOCS = "see docs/azure-postgres-flexible.md";
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /** The rendered settings, or one StoreException naming every problem. */
    static FlexibleServerSettings parse(String storeName, Map<String, Object> settings, Path baseDirectory) {
        List<KeyProblem> problems = new ArrayList<>();
        FlexibleServerSettings parsed = read(settings, baseDirectory, problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' ("
                    + AzurePostgresProvider.TYPE + "): " + String.join("; ",
                    problems.stream().map(KeyProblem::message).toList()), DOCS);
        }
        return parsed;
    }

    /** For validate: the problems of literal values, each at its key; templates are checked once rendered. */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, null, problems);
        return problems.stream().filter(p -> p.key() == null || !Template.unrendered(settings.get(p.key()))).toList();
    }

    private static FlexibleServerSettings read(Map<String, Object> settings, Path baseDirectory,
                                               List<KeyProblem> problems) {
        String subscription = text(settings, "subscription", null);
        String resourceGroup = text(settings, "resource-group", null);
        String server = text(settings, "server", null);
        for (String key : List.of("subscription", "resource-group", "server")) {
            if (text(settings, key, null) == null) {
                problems.add(problem(key, "'" + key + "' is required"));
            }
        }
        if (subscription != null && !subscription.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
            problems.add(problem("subscription", "'subscription' must be a subscription id (a GUID such as "
                    + "00000000-0000-0000-0000-000000000000)"));
        }
        if (resourceGroup != null && (!resourceGroup.matches("[\\p{L}\\p{N}_\\-.()]{1,90}")
                || resourceGroup.endsWith("."))) {
            problems.add(problem("resource-group", "'resource-group' must be 1 to 90 letters, digits, '_', '-', '.', "
                    + "'(' or ')', not ending in '.'"));
        }
        if (server != null && !server.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")) {
            problems.add(problem("server", "'server' must be a flexible server name: 3 to 63 lowercase letters, "
                    + "digits and hyphens, not starting or ending with a hyphen"));
        }
        String managementUrl = text(settings, "management-url", PUBLIC_CLOUD);
        while (managementUrl.endsWith("/")) {
            managementUrl = managementUrl.substring(0, managementUrl.length() - 1);
        }
        if (!https(managementUrl)) {
            problems.add(problem("management-url", "'management-url' must be an https URL such as " + PUBLIC_CLOUD));
        }
        String host = text(settings, "host", server == null ? null : server + ".postgres.database.azure.com");
        String port = text(settings, "port", "5432");
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            problems.add(problem("port", "'port' must be a number from 1 to 65535"));
        }
        String sslmode = text(settings, "sslmode", "require");
        if (!SSL_MODES.contains(sslmode)) {
            problems.add(problem("sslmode", "'sslmode' must be one of disable, allow, prefer, require, verify-ca, "
                    + "verify-full (Azure requires TLS: require or verify-full)"));
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = text(settings, "operation-timeout", null);
        if (timeoutText != null) {
            try {
                timeout = Durations.parse(timeoutText);
            } catch (RuntimeException e) {
                timeout = null;
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                problems.add(problem("operation-timeout", "'operation-timeout' must be a positive duration: "
                        + Durations.FORMS));
            }
        }
        String ca = text(settings, "ca-bundle", null);
        Path caBundle = ca == null ? null : baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
        return problems.isEmpty() ? new FlexibleServerSettings(subscription, resourceGroup, server, managementUrl,
                host, Integer.parseInt(port), text(settings, "database", "postgres"), sslmode, caBundle, timeout)
                : null;
    }

    /** The server's ARM resource id. */
    String resourceId() {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/" + server;
    }

    /** {@code server 'pgflex-mindwell-dev' (resource group 'rg-mindwell-dev')}, as messages name it. */
    String describe() {
        return "server '" + server + "' (resource group '" + resourceGroup + "', subscription " + subscription + ")";
    }

    private static boolean https(String url) {
        if (Template.unrendered(url)) {
            return true;
        }
        try {
            URI uri = URI.create(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, DOCS);
    }


    private static String text(Map<String, Object> settings, String key, String fallback) {
        Object value = settings.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }
}
