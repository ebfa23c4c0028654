package dev.rotor.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.http.HttpClients;
import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.EnvironmentSpec;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.NotifySpec;
import dev.rotor.manifest.UnresolvedReferenceException;
import dev.rotor.report.Masker;
import dev.rotor.report.RunReport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tells the manifest's {@code notify:} webhooks how a run ended. A webhook URL is a credential: it is masked before
 * anything is sent, and messages name its host only. A notification that cannot be delivered is one warning line;
 * it never changes the run's exit code.
 */
public final class Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Three attempts in all, resent on 429 and 5xx: a notification must not hold a finished rotation up for long. */
    static final Retry.Policy POLICY = new Retry.Policy(3, Duration.ofMillis(500), Duration.ofSeconds(5), 0);
    /** Per attempt: a webhook answers at once or not at all, and a hanging one must not hold the run for long. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Manifest manifest;
    private final Map<String, String> environment;
    private final Masker masker;
    private final Consumer<String> progress;
    private final Consumer<String> warning;

    /** @param warning prints one warning line (the console's {@code warning: ...}) */
    public Notifier(Manifest manifest, Map<String, String> environment, Masker masker, Consumer<String> progress,
                    Consumer<String> warning) {
        this.manifest = manifest;
        this.environment = environment;
        this.masker = masker;
        this.progress = progress;
        this.warning = warning;
    }

    /** Posts the run to every webhook whose {@code on} holds the run's state; nothing when the run changed nothing. */
    public void send(RunReport report, Instant finished) {
        if (manifest.notifications().isEmpty()) {
            return;
        }
        JsonNode run;
        try {
            run = JSON.readTree(report.json(finished));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the run report is not JSON", e);
        }
        Optional<NotifySpec.State> state = Messages.state(run);
        if (state.isEmpty()) {
            return;
        }
        Optional<String> runUrl = RunReport.runUrl(environment);
        for (int i = 0; i < manifest.notifications().size(); i++) {
            NotifySpec spec = manifest.notifications().get(i);
            if (spec.on().contains(state.get())) {
                String body = spec.format() == NotifySpec.Format.SLACK ? Messages.slack(run, state.get(), runUrl)
                        : Messages.json(run, state.get(), runUrl);
                post("notify[" + i + "]", spec, body);
            }
        }
    }

    /** Posts {@code body}; any failure becomes one warning naming the host (or the entry, before the host is known). */
    private void post(String entry, NotifySpec spec, String body) {
        String where = entry;
        try {
            String url = Bindings.of(manifest, EnvironmentSpec.NONE, environment).render(spec.webhook()).trim();
            masker.add(url);
            URI uri = webhook(url);
            where = "to " + uri.getHost();
            HttpClient client = HttpClients.create(environment, null);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(masker.redact(body), StandardCharsets.UTF_8)).build();
            new Retry("notify", POLICY, Time.SYSTEM, progress, null).send("POST", uri.getHost(),
                    () -> answer(client, request), (last, times) -> new Undelivered(last.failure()));
            progress.accept("notify: " + spec.format().label() + " message sent to " + uri.getHost());
        } catch (UnresolvedReferenceException | Undelivered e) {
            warn(where, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn(where, "interrupted");
        } catch (RuntimeException e) {
            // A library's message could quote the URL: its class name is enough.
            warn(where, e.getClass().getSimpleName());
        }
    }

    private static URI webhook(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new Undelivered("the webhook is not a URL");
        }
        if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new Undelivered("the webhook is not an http(s) URL");
        }
        return uri;
    }

    /** A 2xx delivers; 429 and 5xx are resent (after {@code Retry-After} when given); any other answer is final. */
    private static Retry.Outcome<Integer> answer(HttpClient client, HttpRequest request)
            throws java.io.IOException, InterruptedException {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Retry.Outcome.answer(status);
        }
        if (status == 429 || status >= 500) {
            return Retry.Outcome.failed(String.valueOf(status),
                    Retry.retryAfter(response.headers().firstValue("Retry-After"), Instant.now()));
        }
        throw new Undelivered(String.valueOf(status));
    }

    private void warn(String where, String why) {
        warning.accept("notification " + where + " failed: " + why + "; the rotation's outcome is unchanged");
    }

    /** A notification that was not delivered; its message is the reason (a status, "could not be reached"). */
    private static final class Undelivered extends RuntimeException {
        Undelivered(String reason) {
            super(reason, null, false, false);
        }
    }
}
