package dev.rotor.store.azureappservice;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.azure.AzureConnection;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * The application settings of one App Service app (or one of its deployment slots), through Azure Resource Manager.
 * ARM's settings PUT replaces every setting, so each write lists them all, changes one and puts the whole map back;
 * slot-sticky flags live apart ({@code config/slotConfigNames}) and are never written. ARM offers no ETag on
 * application settings, so a writer outside Rotor between the list and the put can be overwritten (docs say so).
 * A delete puts the map back without its one setting.
 * {@link #restart} restarts the app once per call when a target asks for it and waits until it answers again.
 */
final class AppServiceStore implements Store {
    static final String API_VERSION = "2023-12-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONGEST_POLL = Duration.ofSeconds(5);
    private static final Duration HOST_TIMEOUT = Duration.ofSeconds(10);

    private final AppServiceSettings settings;
    private final AzureConnection azure;
    private final HttpPipeline arm;
    private final Consumer<String> progress;
    private final String base;

    AppServiceStore(AppServiceSettings settings, AzureConnection azure, Consumer<String> progress) {
        this.settings = settings;
        this.azure = azure;
        this.arm = azure.pipeline(settings.managementUrl() + "/.default");
        this.progress = progress == null ? line -> { } : progress;
        this.base = settings.managementUrl() + settings.sitePath();
    }

    @Override
    public Set<Capability> capabilities() {
        return AppServiceProvider.CAPABILITIES;
    }

    /** Lists the settings: the app exists and the identity may read them. Nothing is written. */
    @Override
    public void preflight(List<Address> addresses) {
        addresses.forEach(this::nameOf);
        list();
    }

    @Override
    public Optional<Stored> read(Address address) {
        JsonNode held = list().get(nameOf(address));
        return held == null || held.isNull() ? Optional.empty() : Optional.of(new Stored(held.asText(), null, null));
    }

    @Override
    public Written write(Address address, String value) {
        String name = nameOf(address);
        ObjectNode all = list();
        JsonNode held = all.get(name);
        if (held != null && held.isTextual() && held.asText().equals(value)) {
            return new Written(null, false);
        }
        all.put(name, value);
        JsonNode written = putAll(all).path(name);
        if (!written.isTextual() || !written.asText().equals(value)) {
            throw new StoreException(StoreException.Kind.FAILED, azure.label() + ": the settings of "
                    + settings.describeApp() + " that Azure answered lack the new " + name);
        }
        return new Written(null, true);
    }

    /**
     * The same read-modify-write as a write: every setting is listed and put back without this one. Slot-sticky flags
     * ({@code config/slotConfigNames}) are not written, so a sticky name stays sticky should it come back.
     */
    @Override
    public void delete(Address address) {
        String name = nameOf(address);
        ObjectNode all = list();
        if (all.remove(name) == null) {
            return;
        }
        if (putAll(all).has(name)) {
            throw new StoreException(StoreException.Kind.FAILED, azure.label() + ": the settings of "
                    + settings.describeApp() + " that Azure answered still hold " + name);
        }
    }

    /** PUT .../config/appsettings of the whole map (ARM replaces every setting); the settings Azure answered. */
    private JsonNode putAll(ObjectNode all) {
        ObjectNode body = JSON.createObjectNode();
        body.set("properties", all);
        return send(HttpMethod.PUT, "/config/appsettings", body, "write the application settings of "
                + settings.describeApp(), "Microsoft.Web/sites/config/write (e.g. the Website Contributor role)")
                .path("properties");
    }

    /** Restarts the app once if any of these addresses asks for it ({@code restart: true}), then waits for it. */
    @Override
    public void restart(List<Address> addresses) {
        List<String> asking = addresses.stream().filter(a -> "true".equals(String.valueOf(a.scope().get("restart"))))
                .map(Address::name).toList();
        if (asking.isEmpty()) {
            return;
        }
        progress.accept(azure.label() + ": restarting " + settings.describeApp() + " for " + String.join(", ", asking));
        send(HttpMethod.POST, "/restart", null, "restart " + settings.describeApp(),
                "Microsoft.Web/sites/restart/action (e.g. the Website Contributor role)",
                "&softRestart=false&synchronous=true");
        waitUntilAnswering();
    }

    /**
     * After a restart: until the deadline, the site must report {@code state: Running} and then (unless
     * {@code restart-wait: state}) its default host name must answer HTTPS with anything but 502, 503 or 504 (the
     * front end's answers while the app starts). An app's own status codes vary (401, 404...), so any other counts.
     */
    private void waitUntilAnswering() {
        long deadline = System.nanoTime() + settings.restartTimeout().toNanos();
        Duration poll = settings.restartTimeout().dividedBy(10).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL
                : settings.restartTimeout().dividedBy(10);
        String last = "no answer yet";
        while (true) {
            JsonNode site = siteOrNull();
            String state = site == null ? null : site.path("properties").path("state").asText(null);
            if (site == null) {
                last = "its state could not be read";
            } else if (!"Running".equals(state)) {
                last = "its state was " + state;
            } else if (!settings.waitForHost()) {
                return;
            } else {
                String host = site.path("properties").path("defaultHostName").asText("");
                Integer status = hostAnswer(host);
                if (status != null && status != 502 && status != 503 && status != 504) {
                    progress.accept(azure.label() + ": " + settings.describeApp() + " answers again (" + status + ")");
                    return;
                }
                last = "https://" + host + "/ " + (status == null ? "could not be reached" : "answered " + status);
            }
            if (System.nanoTime() >= deadline) {
                throw new StoreException(StoreException.Kind.FAILED, azure.label() + ": app " + settings.describeApp()
                        + " did not come back within " + dev.rotor.manifest.Durations.format(settings.restartTimeout())
                        + " of its restart (" + last + ")",
                        "look at the app's log stream (az webapp log tail); its settings hold the new value: the rotate "
                                + "Rotor prints finishes the rotation once the app starts");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.TRANSIENT, azure.label() + ": interrupted while waiting for "
                        + settings.describeApp() + " to restart");
            }
        }
    }

    private JsonNode siteOrNull() {
        try {
            return send(HttpMethod.GET, "", null, "read the state of " + settings.describeApp(),
                    "Microsoft.Web/sites/read (e.g. the Reader role)");
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.TRANSIENT) {
                return null;
            }
            throw e;
        }
    }

    /** The status of a GET of the app's own host name (no Azure token), or null when it could not be reached. */
    private Integer hostAnswer(String host) {
        if (host.isEmpty()) {
            return null;
        }
        try (HttpResponse answer = azure.http().sendSync(new HttpRequest(HttpMethod.GET, "https://" + host + "/"),
                Context.NONE.addData("azure-response-timeout", HOST_TIMEOUT))) {
            return answer.getStatusCode();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** POST .../config/appsettings/list: every setting (ARM answers them only to this action, not to a GET). */
    private ObjectNode list() {
        JsonNode answer = send(HttpMethod.POST, "/config/appsettings/list", null, "list the application settings of "
                + settings.describeApp(), "Microsoft.Web/sites/config/list/action (e.g. the Website Contributor role)");
        JsonNode properties = answer.path("properties");
        return properties.isObject() ? (ObjectNode) properties : JSON.createObjectNode();
    }

    private JsonNode send(HttpMethod method, String path, JsonNode body, String operation, String grant) {
        return send(method, path, body, operation, grant, "");
    }

    private JsonNode send(HttpMethod method, String path, JsonNode body, String operation, String grant, String query) {
        HttpRequest request = new HttpRequest(method, base + path + "?api-version=" + API_VERSION + query);
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body.toString());
        }
        return azure.call(operation, grant, () -> {
            try (HttpResponse response = arm.sendSync(request, Context.NONE)) {
                String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
                JsonNode json = parse(text);
                if (response.getStatusCode() >= 300) {
                    throw azure.failure(operation, response.getStatusCode(), json.path("error").path("code").asText(null),
                            grant);
                }
                return json;
            }
        });
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return MissingNode.getInstance();
        }
    }

    private String nameOf(Address address) {
        String problem = AppServiceProvider.nameProblem(address.name());
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, azure.label() + ": " + problem);
        }
        return address.name();
    }
}
