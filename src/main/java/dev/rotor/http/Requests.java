package dev.rotor.http;

import java.net.http.HttpRequest;

/** What every REST client here does with a request: a JSON body or none, and a URL shown without its query. */
public final class Requests {
    private Requests() {
    }

    /** Sets {@code method} with {@code json} as the body (and its Content-Type), or with no body when it is null. */
    public static HttpRequest.Builder withJson(HttpRequest.Builder builder, String method, String json) {
        if (json == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
    }

    /**
     * A URL or path without its query string: a query may carry a credential (a signed URL, an OIDC audience), so it
     * never reaches a progress line or a message.
     */
    public static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
