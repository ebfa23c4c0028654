package dev.rotor.generate;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The nearest valid name to a misspelt one (edit distance, case-insensitive; a prefix also counts). */
final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> nearest(String input, Collection<String> candidates) {
        String wanted = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String name = candidate.toLowerCase(Locale.ROOT);
            int distance = name.startsWith(wanted) || wanted.startsWith(name) ? 1 : distance(wanted, name);
            if (distance <= Math.max(1, Math.min(3, name.length() / 3)) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "did you mean 'x'?" for the nearest candidate, else the list of valid names under {@code what}. */
    static String hint(String input, Collection<String> candidates, String what) {
        return nearest(input, candidates).map(n -> "did you mean '" + n + "'?")
                .orElse(what + ": " + String.join(", ", candidates));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    private static int distance(String a, String b) {
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
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
