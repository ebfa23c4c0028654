package dev.rotor.store.kubernetes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import dev.rotor.http.Time;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * fabric8's mock API server in CRUD mode (it keeps objects, resourceVersions and generations, and answers 409 to a
 * stale PUT), with a dispatcher that records every request line and can put another writer's change, or a refusal,
 * in front of the next request to a path. Rotor reaches it as a real cluster: {@code server} + {@code token}.
 */
public final class KubeMock implements AutoCloseable {
    public static final String TOKEN = "mock-token-not-checked";
    /** The mock logs every request through java.util.logging: kept quiet (held here so it is not collected). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    /** What to do with the next request whose method and path match: answer it, or run first and let it through. */
    private record Trap(String method, String path, Function<RecordedRequest, MockResponse> action) {
    }

    private final class Interposer extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath().replaceAll("\\?.*", "");
            requests.add(request.getMethod() + " " + path);
            Trap trap = next.get();
            if (trap != null && trap.method().equals(request.getMethod()) && trap.path().equals(path)
                    && next.compareAndSet(trap, null)) {
                MockResponse answer = trap.action().apply(request);
                if (answer != null) {
                    return answer;
                }
            }
            return super.dispatch(request);
        }

        MockResponse direct(RecordedRequest request) {
            return super.dispatch(request);
        }
    }

    private final Interposer dispatcher = new Interposer();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final AtomicReference<Trap> next = new AtomicReference<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    public KubeMock(String... namespaces) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        for (String namespace : namespaces) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
    }

    /** The API server's URL, for {@code server:}. */
    public String url() {
        String url = server.url("/");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A client of the test's own, to set up and inspect objects. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** Every request so far, as {@code METHOD /path}. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public long count(String methodAndPath) {
        return requests().stream().filter(methodAndPath::equals).count();
    }

    /** The progress lines of the stores this mock opened. */
    public List<String> progress() {
        synchronized (progress) {
            return List.copyOf(progress);
        }
    }

    /** Before the next {@code method path} request: another writer's JSON merge patch of the same object. */
    public void beforeNext(String method, String path, String mergePatch) {
        next.set(new Trap(method, path, request -> {
            Headers headers = new Headers.Builder().add("Content-Type", "application/merge-patch+json").build();
            dispatcher.direct(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, headers,
                    new Buffer(mergePatch.getBytes(StandardCharsets.UTF_8))));
            return null;
        }));
    }

    /** The next {@code method path} request is answered with this status and a Kubernetes Status body. */
    public void refuseNext(String method, String path, int status, String reason) {
        next.set(new Trap(method, path, request -> new MockResponse().setResponseCode(status).setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                        + "\",\"code\":" + status + "}")));
    }

    /** The settings of a store that reaches this mock with a token. */
    public Map<String, Object> settings(String namespace) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server", url());
        settings.put("token", TOKEN);
        settings.put("namespace", namespace);
        return settings;
    }

    /** A kubernetes store on this mock; sleeps are real but short (tests set short timeouts). */
    public Store open(String namespace, Map<String, Object> extra) {
        Map<String, Object> settings = settings(namespace);
        settings.putAll(extra);
        return new KubernetesProvider(Time.SYSTEM).openStore("k8s", settings, context());
    }

    public ProviderContext context() {
        Consumer<String> sink = progress::add;
        return new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), sink);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
