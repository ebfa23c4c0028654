package dev.rotor.store.github;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One place a secret is written: a repository's, an environment's or an organization's secrets of one app
 * (actions, dependabot, codespaces). {@code base} is the REST collection, e.g. {@code /repos/o/r/actions/secrets};
 * its public key is {@code base/public-key}, so public keys are cached per base: per scope.
 */
record Destination(Kind kind, String owner, String repository, String environment, String app, String base) {
    enum Kind { REPOSITORY, ENVIRONMENT, ORGANIZATION }

    static Destination repository(String repository, String app) {
        return new Destination(Kind.REPOSITORY, repository.substring(0, repository.indexOf('/')), repository, null, app,
                "/repos/" + repository + "/" + app + "/secrets");
    }

    static Destination environment(String repository, String environment) {
        return new Destination(Kind.ENVIRONMENT, repository.substring(0, repository.indexOf('/')), repository,
                environment, "actions", "/repos/" + repository + "/environments/" + segment(environment) + "/secrets");
    }

    static Destination organization(String organization, String app) {
        return new Destination(Kind.ORGANIZATION, organization, null, null, app, "/orgs/" + organization + "/" + app + "/secrets");
    }

    String publicKeyPath() {
        return base + "/public-key";
    }

    String secretPath(String name) {
        return base + "/" + name;
    }

    /** Where a GitHub App finds its installation for this destination's owner. */
    String installationPath() {
        return kind == Kind.ORGANIZATION ? "/orgs/" + owner + "/installation" : "/repos/" + repository + "/installation";
    }

    /** A name for reports: {@code acme/web}, {@code acme/web environment prod}, {@code organization acme (dependabot)}. */
    String label() {
        String where = switch (kind) {
            case REPOSITORY -> repository;
            case ENVIRONMENT -> repository + " environment " + environment;
            case ORGANIZATION -> "organization " + owner;
        };
        return "actions".equals(app) ? where : where + " (" + app + ")";
    }

    /** Which token kinds and permissions can write here (GitHub's documented requirements). */
    String permissionHint() {
        String classic;
        String fineGrained;
        String githubApp;
        if (kind == Kind.ORGANIZATION) {
            classic = "admin:org";
            switch (app) {
                case "dependabot" -> {
                    fineGrained = "organization permission \"Dependabot secrets: Read and write\"";
                    githubApp = "organization_dependabot_secrets: write";
                }
                case "codespaces" -> {
                    fineGrained = "organization permission \"Codespaces secrets: Read and write\"";
                    githubApp = "organization_codespaces_secrets: write";
                }
                default -> {
                    fineGrained = "organization permission \"Secrets: Read and write\"";
                    githubApp = "organization_secrets: write";
                }
            }
        } else {
            classic = "repo (public_repo for a public repository)";
            if (kind == Kind.ENVIRONMENT) {
                fineGrained = "repository permissions \"Environments: Read and write\" and \"Secrets: Read-only\"";
                githubApp = "environments: write";
            } else {
                switch (app) {
                    case "dependabot" -> {
                        fineGrained = "repository permission \"Dependabot secrets: Read and write\"";
                        githubApp = "dependabot_secrets: write";
                    }
                    case "codespaces" -> {
                        fineGrained = "repository permission \"Codespaces secrets: Read and write\"";
                        githubApp = "codespaces_secrets: write";
                    }
                    default -> {
                        fineGrained = "repository permission \"Secrets: Read and write\"";
                        githubApp = "secrets: write";
                    }
                }
            }
        }
        return "use a classic PAT with the " + classic + " scope, a fine-grained PAT with " + fineGrained
                + " on " + (kind == Kind.ORGANIZATION ? "organization " + owner : repository)
                + ", or a GitHub App installation with " + githubApp
                + "; the workflow's own GITHUB_TOKEN cannot write secrets whatever its permissions: block says";
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
