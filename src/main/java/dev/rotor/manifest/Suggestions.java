package dev.rotor.manifest;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** "Did you mean" for misspelled keys and names: the nearest candidate by edit distance, if near enough. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The candidate nearest to {@code input}, when at most about a third of it differs. */
    public static Optional<String> nearest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = input.toLowerCase(Locale.ROOT);
        for (String candidate : new TreeSet<>(candidates)) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, input.length() / 3);
        if (best != null && bestDistance <= allowed) {
            return Optional.of(best);
        }
        return candidates.stream().filter(c -> sharesStem(lower, c.toLowerCase(Locale.ROOT)))
                .min(java.util.Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase(Locale.ROOT)))
                        .thenComparing(java.util.Comparator.naturalOrder()));
    }

    /**
     * {@code repo} for {@code repository}, {@code retry} for {@code retries}, {@code jwt} for {@code jwt-hmac}: one is
     * the start of the other, or four letters in common and one nearly the other.
     */
    private static boolean sharesStem(String input, String candidate) {
        if (input.length() >= 3 && candidate.startsWith(input)) {
            return true;
        }
        int common = 0;
        while (common < Math.min(input.length(), candidate.length()) && input.charAt(common) == candidate.charAt(common)) {
            common++;
        }
        return common >= 4 && (candidate.startsWith(input) || distance(input, candidate) <= 3);
    }

    /** {@code did you mean 'x'?}, else the list of valid choices (or "" when there are none). */
    public static String didYouMean(String input, Collection<String> candidates, String what) {
        return nearest(input, candidates).map(s -> "did you mean '" + s + "'?")
                .orElse(candidates.isEmpty() ? "" : "valid " + what + ": " + String.join(", ", new TreeSet<>(candidates)));
    }

    /** Levenshtein distance with transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
