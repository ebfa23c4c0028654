package dev.rotor.manifest;

/** Counted nouns in messages: {@code 1 secret}, {@code 3 secrets}, {@code 2 copies}. */
public final class Plural {
    private Plural() {
    }

    /** A noun whose plural adds an s. */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
