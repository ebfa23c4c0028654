package dev.rotor.manifest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SuggestionsTest {
    private static final Set<String> SECRET_KEYS = ManifestReader.SECRET_KEYS;

    @Test
    void suggestsTheNearestKeyForMisspellings() {
        assertEquals(Optional.of("targets"), Suggestions.nearest("target", SECRET_KEYS));
        assertEquals(Optional.of("targets"), Suggestions.nearest("tragets", SECRET_KEYS));
        assertEquals(Optional.of("max-age"), Suggestions.nearest("max_age", SECRET_KEYS));
        assertEquals(Optional.of("max-age"), Suggestions.nearest("maxage", SECRET_KEYS));
        assertEquals(Optional.of("generate"), Suggestions.nearest("Generate", SECRET_KEYS));
        assertEquals(Optional.of("retries"), Suggestions.nearest("retry", Set.of("retries", "timeout")));
        assertEquals(Optional.of("repository"), Suggestions.nearest("repo", Set.of("repository", "token")));
    }

    @Test
    void suggestsNothingForFarAwayWords() {
        assertEquals(Optional.empty(), Suggestions.nearest("colour", SECRET_KEYS));
        assertEquals(Optional.empty(), Suggestions.nearest("x", List.of("env", "ENV")));
    }

    @Test
    void fallsBackToTheListOfValidChoices() {
        assertEquals("did you mean 'files'?", Suggestions.didYouMean("file", List.of("files", "dotenv"), "types"));
        assertEquals("valid types: dotenv, files", Suggestions.didYouMean("s3", List.of("files", "dotenv"), "types"));
        assertEquals("", Suggestions.didYouMean("s3", List.of(), "types"));
    }

    @Test
    void countsATranspositionAsOneEdit() {
        assertEquals(1, Suggestions.distance("tagrets", "targets"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
