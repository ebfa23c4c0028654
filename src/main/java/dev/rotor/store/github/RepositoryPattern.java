package dev.rotor.store.github;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a store's {@code repositories}: a repository ({@code acme/web}), a pattern over the repository
 * names of one owner ({@code acme/svc-*}: {@code *} any run of characters, {@code ?} one character, in the name
 * only), or an exclusion ({@code !acme/legacy-*}) that removes repositories a pattern matched. Owners and names
 * match case-insensitively, as GitHub treats them.
 */
record RepositoryPattern(boolean exclude, String owner, String name, Pattern regex) {
    private static final Pattern SYNTAX = Pattern.compile("(!?)([A-Za-z0-9_.-]+)/([A-Za-z0-9_.*?-]+)");

    /** Parses an entry; throws {@link IllegalArgumentException} with the reason when it is malformed. */
    static RepositoryPattern parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            String owner = text.startsWith("!") ? text.substring(1) : text;
            int slash = owner.indexOf('/');
            String why = slash > 0 && (owner.substring(0, slash).contains("*") || owner.substring(0, slash).contains("?"))
                    ? "wildcards go in the repository name only; the owner is one user or organization"
                    : text.matches("!?[^/]+/[^/]*[\\[\\]{}].*") ? "only * and ? are wildcards"
                    : "expected owner/name, owner/pattern (* and ? in the name) or !owner/pattern";
            throw new IllegalArgumentException("repository entry '" + text + "': " + why);
        }
        String name = m.group(3);
        StringBuilder regex = new StringBuilder();
        for (char c : name.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return new RepositoryPattern(!m.group(1).isEmpty(), m.group(2), name,
                Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** True when the name has a wildcard: the owner's repositories are listed to expand it. */
    boolean glob() {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
    }

    boolean sameOwner(String other) {
        return owner.equalsIgnoreCase(other);
    }

    /** Whether {@code fullName} ({@code owner/name}) is matched by this entry's owner and name. */
    boolean matches(String fullName) {
        int slash = fullName.indexOf('/');
        return slash > 0 && sameOwner(fullName.substring(0, slash)) && regex.matcher(fullName.substring(slash + 1)).matches();
    }

    /** {@code owner/name} without the exclusion mark. */
    String repository() {
        return owner + "/" + name;
    }

    String key() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (exclude ? "!" : "") + repository();
    }
}
