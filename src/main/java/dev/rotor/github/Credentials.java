package dev.rotor.github;

/** How requests authenticate: a token, or a GitHub App's installation token per owner. */
public interface Credentials {
    /**
     * The Authorization header for requests about {@code owner}'s resources. {@code installationPath} is where a
     * GitHub App finds its installation for that owner ({@code /repos/o/r/installation} or {@code /orgs/o/installation}).
     */
    String authorization(String owner, String installationPath);

    /**
     * The Authorization header for requests about {@code owner} as a whole, such as listing its repositories, where
     * no repository names the installation: a GitHub App looks it up as an organization's, then as a user's.
     */
    default String ownerAuthorization(String owner) {
        return authorization(owner, "/users/" + owner + "/installation");
    }

    /**
     * True for GitHub App installation tokens (an App's own, or a {@code ghs_} token passed in): they list what they
     * can reach with {@code GET /installation/repositories}, and cannot use {@code /user/repos}.
     */
    default boolean installation() {
        return false;
    }

    /** Forgets a cached token after a 401 (a GitHub App gets a new one); returns whether a retry can help. */
    default boolean invalidate(String owner) {
        return false;
    }

    /** For messages: the kind of credential, never its value. */
    String describe();

    /** True when the token is likely the workflow's own GITHUB_TOKEN, which cannot write secrets. */
    default boolean workflowToken() {
        return false;
    }

    static Credentials token(String token, boolean workflowToken) {
        String header = "Bearer " + token.trim();
        return new Credentials() {
            @Override
            public String authorization(String owner, String installationPath) {
                return header;
            }

            @Override
            public String describe() {
                return workflowToken ? "the workflow's GITHUB_TOKEN" : "token";
            }

            @Override
            public boolean workflowToken() {
                return workflowToken;
            }

            @Override
            public boolean installation() {
                return token.trim().startsWith("ghs_");
            }

            @Override
            public String toString() {
                return describe();
            }
        };
    }
}
