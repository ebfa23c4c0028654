package dev.rotor.store.github;

import dev.rotor.manifest.Template;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.rotor.github.WritePacer;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/**
 * The rendered settings of one {@code type: github} store, checked before any network call. All problems are
 * collected and reported together.
 */
record GithubSettings(List<RepositoryPattern> repositories, String organization, String token, String appId, String privateKey,
                      Long installationId, String apiUrl, Path caBundle, WritePacer.Limits limits, int concurrency) {
    static final String DEFAULT_API_URL = "https://api.github.com";
    static final int DEFAULT_CONCURRENCY = 4;
    static final int MAX_CONCURRENCY = 100;
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public String toString() {
        return "GithubSettings[repositories=" + repositories.size() + ", organization=" + organization
                + ", auth=" + (token != null ? "token" : "app " + appId) + ", apiUrl=" + apiUrl + "]";
    }

    boolean organizationStore() {
        return organization != null;
    }

    /** The rendered settings, or a StoreException naming every problem. */
    static GithubSettings parse(String storeName, Map<String, Object> settings, Map<String, String> environment,
                                Path baseDirectory) {
        List<KeyProblem> problems = new ArrayList<>();
        GithubSettings parsed = read(settings, environment, baseDirectory, problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (github): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()),
                    "see docs/github.md for the settings of a github store");
        }
        return parsed;
    }

    /** For validate: every problem of the manifest's settings, at its key; values still holding a template are skipped. */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, Map.of(), null, problems);
        return problems;
    }

    private static GithubSettings read(Map<String, Object> settings, Map<String, String> environment,
                                       Path baseDirectory, List<KeyProblem> problems) {
        List<RepositoryPattern> repositories = new ArrayList<>();
        Object one = settings.get("repository");
        Object many = settings.get("repositories");
        if (one != null && !Template.unrendered(one)) {
            RepositoryPattern single = pattern(String.valueOf(one).trim(), "repository", problems);
            if (single != null && (single.glob() || single.exclude())) {
                problems.add(problem("repository", "repository takes one owner/name; put patterns such as " + single
                        + " in repositories: [...]"));
            } else if (single != null) {
                repositories.add(single);
            }
        }
        if (many instanceof List<?> list) {
            list.stream().filter(item -> !Template.unrendered(item)).forEach(item -> {
                RepositoryPattern entry = pattern(String.valueOf(item).trim(), "repositories", problems);
                if (entry != null) {
                    repositories.add(entry);
                }
            });
            checkPatterns(repositories, problems);
        } else if (many != null) {
            problems.add(problem("repositories", "repositories must be a list of owner/name, owner/pattern or "
                    + "!owner/pattern"));
        }
        String organization = text(settings, "organization");
        if (organization != null && !Template.unrendered(organization) && !OWNER.matcher(organization).matches()) {
            problems.add(problem("organization", "organization '" + organization + "' is not an organization login"));
        }
        int scopes = (one != null ? 1 : 0) + (many != null ? 1 : 0) + (organization != null ? 1 : 0);
        if (scopes != 1) {
            problems.add(problem(null, "set exactly one of repository, repositories or organization"));
        } else if (many instanceof List<?> list && list.isEmpty()) {
            problems.add(problem("repositories", "repositories is empty"));
        }

        String token = text(settings, "token");
        String appId = text(settings, "app-id");
        String privateKey = text(settings, "private-key");
        Long installationId = null;
        if (token != null && (appId != null || privateKey != null)) {
            problems.add(problem("token", "set either token or app-id with private-key, not both"));
        } else if (token == null && (appId == null || privateKey == null)) {
            problems.add(problem(null, appId == null && privateKey == null
                    ? "set token (e.g. token: ${env:ROTOR_GITHUB_TOKEN}) or app-id with private-key"
                    : "a GitHub App needs both app-id and private-key"));
        }
        if (appId != null && !Template.unrendered(appId) && !appId.matches("\\d+|Iv[0-9A-Za-z.]+")) {
            problems.add(problem("app-id", "app-id must be the GitHub App's numeric id or client id"));
        }
        String installation = text(settings, "installation-id");
        if (installation != null && !Template.unrendered(installation)) {
            if (installation.matches("\\d+")) {
                installationId = Long.parseLong(installation);
            } else {
                problems.add(problem("installation-id", "installation-id must be a number"));
            }
        }

        String apiUrl = text(settings, "api-url");
        if (apiUrl == null) {
            apiUrl = environment.getOrDefault("GITHUB_API_URL", "");
        }
        if (apiUrl.isBlank()) {
            apiUrl = DEFAULT_API_URL;
        }
        apiUrl = apiUrl.trim();
        if (!Template.unrendered(apiUrl) && !apiUrl.startsWith("https://") && !apiUrl.startsWith("http://")) {
            problems.add(problem("api-url", "api-url must be an http(s) URL"));
        }
        Path caBundle = null;
        String ca = text(settings, "ca-bundle");
        if (ca != null) {
            caBundle = baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
        }

        Duration interval = WritePacer.Limits.GITHUB.interval();
        String intervalText = text(settings, "write-interval");
        if (intervalText != null && !Template.unrendered(intervalText)) {
            interval = duration(intervalText);
            if (interval == null) {
                problems.add(problem("write-interval", "write-interval must be a duration such as 1s or 500ms"));
                interval = WritePacer.Limits.GITHUB.interval();
            }
        }
        int perMinute = count(settings, "writes-per-minute", WritePacer.Limits.GITHUB.perMinute(), problems);
        int perHour = count(settings, "writes-per-hour", WritePacer.Limits.GITHUB.perHour(), problems);
        int concurrency = count(settings, "concurrency", DEFAULT_CONCURRENCY, problems);
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            problems.add(problem("concurrency", "concurrency must be 1 to " + MAX_CONCURRENCY
                    + " (GitHub allows no more concurrent requests)"));
        }
        return new GithubSettings(List.copyOf(repositories), organization, token, appId, privateKey, installationId,
                apiUrl, caBundle, new WritePacer.Limits(interval, perMinute, perHour), concurrency);
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, "see docs/github.md for the settings of a github store");
    }


    /** Includes first seen in manifest order; exclusions apply to what patterns of their owner matched. */
    List<RepositoryPattern> includes() {
        return repositories.stream().filter(r -> !r.exclude()).toList();
    }

    List<RepositoryPattern> exclusions() {
        return repositories.stream().filter(RepositoryPattern::exclude).toList();
    }

    private static RepositoryPattern pattern(String text, String key, List<KeyProblem> problems) {
        try {
            return RepositoryPattern.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(problem(key, e.getMessage()));
            return null;
        }
    }

    /** What can be known without listing: duplicates, exclusions that could never apply, nothing included. */
    private static void checkPatterns(List<RepositoryPattern> entries, List<KeyProblem> problems) {
        if (entries.size() != entries.stream().map(RepositoryPattern::key).distinct().count()) {
            problems.add(problem("repositories", "repositories lists an entry twice"));
        }
        List<RepositoryPattern> includes = entries.stream().filter(r -> !r.exclude()).toList();
        if (includes.isEmpty() && !entries.isEmpty()) {
            problems.add(problem("repositories", "repositories has only exclusions (!owner/pattern): add what they "
                    + "exclude from, e.g. " + entries.get(0).owner() + "/*"));
        }
        for (RepositoryPattern exclusion : entries.stream().filter(RepositoryPattern::exclude).toList()) {
            if (includes.stream().noneMatch(i -> i.glob() && i.sameOwner(exclusion.owner()))) {
                problems.add(problem("repositories", exclusion + " excludes from patterns of " + exclusion.owner()
                        + ", but repositories has none (list fewer repositories instead)"));
            }
            includes.stream().filter(i -> !i.glob() && exclusion.matches(i.repository())).forEach(i ->
                    problems.add(problem("repositories", i + " is both listed and excluded by " + exclusion)));
        }
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    private static int count(Map<String, Object> settings, String key, int fallback, List<KeyProblem> problems) {
        String value = text(settings, key);
        if (value == null || Template.unrendered(value)) {
            return fallback;
        }
        if (!value.matches("\\d{1,7}")) {
            problems.add(problem(key, key + " must be a whole number"));
            return fallback;
        }
        return Integer.parseInt(value);
    }

    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }
}
