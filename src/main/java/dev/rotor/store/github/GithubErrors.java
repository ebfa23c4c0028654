package dev.rotor.store.github;

import dev.rotor.github.Credentials;
import dev.rotor.github.GithubApi;
import dev.rotor.store.StoreException;

/** Maps GitHub's answers to store errors that say where, what and what to do, never a value. */
final class GithubErrors {
    /** A 401: every other destination would fail the same way. */
    static final class CredentialsRejected extends StoreException {
        CredentialsRejected(String message, String suggestion) {
            super(Kind.PERMISSION, message, suggestion);
        }
    }

    private GithubErrors() {
    }

    static StoreException failure(Destination destination, GithubApi.Response response, String doing,
                                  Credentials credentials) {
        String where = destination.label();
        String github = response.message().isEmpty() ? "" : ": " + response.message();
        return switch (response.status()) {
            case 401 -> new CredentialsRejected("GitHub rejected the credentials ("
                    + credentials.describe() + ", 401) while " + doing + " at " + where,
                    "check that the token is current (not expired or revoked)");
            case 403 -> new StoreException(StoreException.Kind.PERMISSION, "GitHub refused " + doing + " at " + where
                    + " (403" + github + ")" + response.header("x-accepted-github-permissions")
                    .map(p -> "; GitHub accepts the permissions " + p).orElse(""),
                    (credentials.workflowToken() ? "this looks like the workflow's own GITHUB_TOKEN. " : "")
                            + destination.permissionHint());
            case 404 -> switch (destination.kind()) {
                case ENVIRONMENT -> new StoreException(StoreException.Kind.NOT_FOUND, "environment '"
                        + destination.environment() + "' not found in " + destination.repository() + " while " + doing,
                        "create it under the repository's Settings > Environments (Rotor never creates environments), "
                                + "and check the token can see " + destination.repository());
                case REPOSITORY -> new StoreException(StoreException.Kind.NOT_FOUND, "repository " + destination.repository()
                        + " not found, or not visible to " + credentials.describe() + ", while " + doing,
                        "check the repository name; " + destination.permissionHint());
                case ORGANIZATION -> new StoreException(StoreException.Kind.NOT_FOUND, "organization " + destination.owner()
                        + " not found, or its " + destination.app() + " secrets are not visible to " + credentials.describe()
                        + ", while " + doing, destination.permissionHint());
            };
            case 422 -> new StoreException(StoreException.Kind.INVALID, "GitHub rejected " + doing + " at " + where
                    + " (422" + github + ")", "check the target's visibility and selected-repositories");
            default -> new StoreException(StoreException.Kind.FAILED, "GitHub answered " + response.status() + " to "
                    + doing + " at " + where + github);
        };
    }
}
