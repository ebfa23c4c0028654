package dev.rotor.store.azurepostgres;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.http.Requests;
import dev.rotor.http.Time;
import dev.rotor.manifest.Durations;
import dev.rotor.store.Owner;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import dev.rotor.store.azurepostgres.ArmClient.Answer;
import org.postgresql.Driver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The administrator password of an Azure Database for PostgreSQL flexible server, changed through Azure Resource
 * Manager as {@code az postgres flexible-server update --admin-password} does: a PATCH of the server whose body alone
 * carries the password, then the long-running operation followed to its end. One password: the old one stops
 * working when the operation succeeds, so {@link #retire} has nothing to do.
 */
final class FlexibleServerOwner implements Owner {
    /** The api-version of FlexibleServers.json (stable) whose PATCH takes administratorLoginPassword. */
    static final String API_VERSION = "2022-12-01";
    static final String PERMISSIONS_API_VERSION = "2022-04-01";
    static final String WRITE_ACTION = "Microsoft.DBforPostgreSQL/flexibleServers/write";
    /** ARM's advice when an operation names no Retry-After. */
    private static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    private static final Duration MAX_POLL = Duration.ofSeconds(60);
    private static final Set<String> BUSY = Set.of("Updating", "Starting");
    private static final Driver DRIVER = new Driver();

    private final String storeName;
    private final FlexibleServerSettings settings;
    private final String user;
    private final ArmClient arm;
    private final Time time;
    private final Consumer<String> progress;

    FlexibleServerOwner(String storeName, FlexibleServerSettings settings, String user, ArmClient arm, Time time,
                        Consumer<String> progress) {
        this.storeName = storeName;
        this.settings = settings;
        this.user = user;
        this.arm = arm;
        this.time = time;
        this.progress = progress == null ? line -> { } : progress;
    }

    @Override
    public Set<Ability> abilities() {
        return Set.of();
    }

    @Override
    public Optional<String> consumerImpact() {
        return Optional.of("single credential: once " + settings.server() + " accepts the new password, new "
                + "connections with the old one are refused until every target holds the new one");
    }

    /** The server exists, can take a password now, is administered by {@code user}, and the caller may write it. */
    @Override
    public void preflight(String activeUser) {
        JsonNode properties = server("preflight (read the server)").path("properties");
        String admin = properties.path("administratorLogin").asText("");
        if (!admin.isEmpty() && !admin.equals(user)) {
            throw failure(Kind.INVALID, "owner user '" + user + "' is not the administrator login of the server ('"
                    + admin + "')", "set owner user: " + admin + ", or use type: postgres to rotate another role");
        }
        if ("Disabled".equalsIgnoreCase(properties.path("authConfig").path("passwordAuth").asText(""))) {
            throw failure(Kind.INVALID, "password authentication is disabled on the server "
                    + "(authConfig.passwordAuth: Disabled)", "enable password authentication or rotate nothing here");
        }
        String state = properties.path("state").asText("");
        if (!state.isEmpty() && !"Ready".equals(state) && !BUSY.contains(state)) {
            throw notReady(state);
        }
        checkWritePermission();
    }

    /**
     * ARM's own answer to "may I write this server?" ({@code Microsoft.Authorization/permissions}), so that a
     * reader-only identity is refused before anything is journaled. When that list cannot be read, the PATCH tells.
     */
    private void checkWritePermission() {
        Answer answer = arm.send(HttpMethod.GET, settings.resourceId() + "/providers/Microsoft.Authorization/"
                + "permissions?api-version=" + PERMISSIONS_API_VERSION, null, "preflight (read permissions)");
        if (answer.status() != 200) {
            progress.accept("  " + label() + ": preflight could not list its permissions on the server (answered "
                    + answer.status() + "); the password update will tell");
            return;
        }
        for (JsonNode permission : answer.body().path("value")) {
            if (matchesAny(permission.path("actions")) && !matchesAny(permission.path("notActions"))) {
                return;
            }
        }
        throw failure(Kind.PERMISSION, "preflight: the Azure identity may read but not change " + settings.describe()
                + " (" + WRITE_ACTION + " is not granted)", "assign Contributor on the server, or a role with "
                + WRITE_ACTION + " (and Microsoft.DBforPostgreSQL/locations/azureAsyncOperation/read to follow it)");
    }

    private static boolean matchesAny(JsonNode patterns) {
        for (JsonNode pattern : patterns) {
            String glob = pattern.asText("").toLowerCase(Locale.ROOT);
            String regex = "\\Q" + glob.replace("*", "\\E.*\\Q") + "\\E";
            if (WRITE_ACTION.toLowerCase(Locale.ROOT).matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits for the server to be Ready, PATCHes {@code administratorLoginPassword} and follows the operation to
     * Succeeded. A resumed run sends the same value again, which ARM applies again harmlessly.
     */
    @Override
    public void accept(String newValue, String oldValue) {
        Instant deadline = time.now().plus(settings.operationTimeout());
        waitUntilReady(deadline);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("properties").put("administratorLoginPassword", newValue);
        Answer answer = arm.send(HttpMethod.PATCH, serverPath(), body, "updating the administrator password");
        if (answer.status() == 200) {
            return;
        }
        if (answer.status() != 201 && answer.status() != 202) {
            throw answerFailure("updating the administrator password", answer, newValue);
        }
        Optional<String> monitor = answer.asyncOperation().or(answer::location);
        if (monitor.isEmpty()) {
            throw failure(Kind.FAILED, "updating the administrator password: ARM answered " + answer.status()
                    + " without an Azure-AsyncOperation or Location header to follow", "");
        }
        follow(monitor.get(), answer.asyncOperation().isPresent(), answer, deadline, newValue);
    }

    /** Polls the operation, as the Retry-After of each answer asks, until it ends or the deadline passes. */
    private void follow(String url, boolean asyncOperation, Answer accepted, Instant deadline, String value) {
        Answer last = accepted;
        String status = "InProgress";
        while (true) {
            Duration wait = pollWait(last);
            if (time.now().plus(wait).isAfter(deadline)) {
                throw failure(Kind.FAILED, "the administrator password update of " + settings.describe()
                        + " did not finish within " + Durations.format(settings.operationTimeout()) + " (operation "
                        + status + ": " + Requests.withoutQuery(url) + ")",
                        "re-run to resume (it sends the update again, harmlessly) or raise operation-timeout");
            }
            sleep(wait);
            last = arm.send(HttpMethod.GET, url, null, "following the password update");
            if (!asyncOperation) {
                if (last.status() == 202) {
                    continue;
                }
                if (last.status() == 200 || last.status() == 204) {
                    return;
                }
                throw answerFailure("following the password update", last, value);
            }
            if (last.status() != 200) {
                throw answerFailure("following the password update", last, value);
            }
            status = last.body().path("status").asText("InProgress");
            if ("Succeeded".equalsIgnoreCase(status)) {
                return;
            }
            if ("Failed".equalsIgnoreCase(status) || "Canceled".equalsIgnoreCase(status)) {
                throw failure(Kind.FAILED, "the administrator password update of " + settings.describe() + " ended "
                        + status + ": " + errorOf(last, value) + " (operation " + Requests.withoutQuery(url) + ")",
                        "the server keeps its previous password; fix the cause and re-run");
            }
        }
    }

    /** A server that is Updating or Starting (another operation) becomes Ready before the PATCH. */
    private void waitUntilReady(Instant deadline) {
        while (true) {
            String state = server("reading the server's state").path("properties").path("state").asText("Ready");
            if ("Ready".equals(state)) {
                return;
            }
            if (!BUSY.contains(state)) {
                throw notReady(state);
            }
            if (time.now().plus(DEFAULT_POLL).isAfter(deadline)) {
                throw failure(Kind.FAILED, "the server stayed " + state + " for "
                        + Durations.format(settings.operationTimeout()) + ", so its password was not changed",
                        "re-run when it is Ready");
            }
            progress.accept("  " + label() + ": server is " + state + ", waiting for Ready");
            sleep(DEFAULT_POLL);
        }
    }

    private StoreException notReady(String state) {
        return failure(Kind.INVALID, "the server is " + state + ", not Ready: its password cannot be changed now",
                "Stopped".equals(state) || "Stopping".equals(state) ? "start it (az postgres flexible-server start "
                        + "--name " + settings.server() + " --resource-group " + settings.resourceGroup() + ")"
                        : "re-run when it is Ready");
    }

    /** The server's ARM representation (GET); 403 and 404 name what is missing. */
    private JsonNode server(String operation) {
        Answer answer = arm.send(HttpMethod.GET, serverPath(), null, operation);
        if (answer.status() != 200) {
            throw answerFailure(operation, answer, null);
        }
        return answer.body();
    }

    /** A login as the administrator with {@code value}, over TLS as the runbook's URL does ({@code sslmode}). */
    @Override
    public Optional<String> test(String value) {
        String url = "jdbc:postgresql://" + (settings.host().contains(":") ? "[" + settings.host() + "]"
                : settings.host()) + ":" + settings.port() + "/"
                + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8).replace("+", "%20");
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", value);
        properties.setProperty("sslmode", settings.sslmode());
        properties.setProperty("ApplicationName", "rotor");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "15");
        properties.setProperty("socketTimeout", "60");
        try (Connection connection = DRIVER.connect(url, properties);
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return Optional.empty();
        } catch (SQLException e) {
            // Names the SQLState only: a driver message may quote a value.
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String where = "logging in as '" + user + "' at " + settings.host() + ":" + settings.port();
            if (state.equals("28P01")) {
                throw failure(Kind.PERMISSION, where + ": password authentication failed (SQLState 28P01)",
                        "the server does not accept this password");
            }
            if (state.startsWith("08") || state.startsWith("53") || state.equals("57P03")) {
                throw failure(Kind.TRANSIENT, where + ": server unreachable or busy (SQLState " + state + ")",
                        "check the firewall rules of the server for this runner");
            }
            throw failure(Kind.FAILED, where + ": failed" + (state.isEmpty() ? "" : " (SQLState " + state + ")"), "");
        }
    }

    /** Nothing to do: the server has one administrator password, and the old one stopped working at accept. */
    @Override
    public void retire(String oldValue, java.util.List<String> keptValues) {
    }

    private StoreException answerFailure(String operation, Answer answer, String value) {
        String code = answer.errorCode();
        String why = "answered " + answer.status() + (answer.body().has("error") ? " " + errorOf(answer, value) : "");
        return switch (answer.status()) {
            case 401 -> failure(Kind.PERMISSION, operation + ": ARM refused the token: " + why,
                    "check the tenant of the Azure credential");
            case 403 -> failure(Kind.PERMISSION, operation + " of " + settings.describe() + ": " + why, operation
                    .startsWith("updating") ? "assign Contributor on the server, or a role with " + WRITE_ACTION
                    : operation.startsWith("following") ? "grant Microsoft.DBforPostgreSQL/locations/"
                    + "azureAsyncOperation/read at the subscription or resource group"
                    : "assign Reader (Microsoft.DBforPostgreSQL/flexibleServers/read) on the server, and Contributor "
                    + "or a role with " + WRITE_ACTION + " to rotate");
            case 404 -> failure(Kind.NOT_FOUND, operation + ": " + settings.describe() + " not found ("
                    + (code.isEmpty() ? "404" : code) + ")", "check subscription, resource-group and server");
            case 409 -> failure(Kind.CONFLICT, operation + ": " + why, "re-run when the server's current operation "
                    + "has finished");
            default -> failure(answer.status() == 429 || answer.status() >= 500 ? Kind.TRANSIENT
                    : answer.status() == 400 ? Kind.INVALID : Kind.FAILED, operation + ": " + why, "");
        };
    }

    /**
     * {@code error.code: message} of an ARM answer, on one line and short; withheld whole if it quotes the value in
     * any common form (the operation's message is the server's, and could echo what it was sent).
     */
    static String errorOf(Answer answer, String value) {
        String code = answer.errorCode().isEmpty() ? "no error code" : answer.errorCode();
        String message = answer.errorMessage().replaceAll("\\s+", " ").trim();
        if (value != null && !value.isEmpty() && quotes(message, value)) {
            message = "(message withheld: it quoted the value)";
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return code + (message.isEmpty() ? "" : ": " + message);
    }

    private static boolean quotes(String message, String value) {
        for (String form : List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8),
                JsonNodeFactory.instance.textNode(value).toString().replaceAll("^\"|\"$", ""))) {
            if (message.contains(form)) {
                return true;
            }
        }
        return false;
    }

    private Duration pollWait(Answer answer) {
        Duration asked = ArmClient.retryAfter(answer, time.now()).orElse(DEFAULT_POLL);
        return asked.compareTo(MAX_POLL) > 0 ? MAX_POLL : asked;
    }

    private void sleep(Duration wait) {
        try {
            time.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Kind.FAILED, "interrupted while following the password update", "re-run to resume");
        }
    }

    private String serverPath() {
        return settings.resourceId() + "?api-version=" + API_VERSION;
    }

    private String label() {
        return AzurePostgresProvider.TYPE + " store '" + storeName + "'";
    }

    private StoreException failure(Kind kind, String what, String suggestion) {
        return new StoreException(kind, label() + " (" + settings.server() + "): " + what, suggestion);
    }
}
