package dev.rotor.manifest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal must refuse a stale write: a store that cannot compare and set is refused by validate, never used. */
class JournalRuleTest {
    /** Readable with a pending slot, but no compare-and-set (store.Provider.canHoldJournal says false). */
    private static final Fakes.FakeType NO_CAS = new Fakes.FakeType("plain", Set.of("directory"), Set.of(),
            Set.of(), Set.of(), true, false, false, false, Set.of(), name -> null);

    @Test
    void aJournalStoreWithoutCompareAndSetIsRefusedWithItsPosition() {
        String manifest = """
                version: 1
                stores:
                  plain: { type: plain, directory: d }
                secrets:
                  api-key:
                    generate: { type: password, length: 20 }
                    journal: plain
                    targets: [ { store: plain, name: api-key } ]
                """;
        ManifestException e = assertThrows(ManifestException.class, () -> new ManifestLoader(Fakes.vocabulary(List.of(NO_CAS))).parse(Path.of("m.yml"), manifest, Map.of()));
        assertEquals(1, e.problems().size(), e.problems().toString());
        Problem p = e.problems().get(0);
        assertEquals("m.yml:7:14: error: secrets.api-key.journal: store 'plain' (type plain) cannot hold a journal: "
                + "it must be readable, keep a pending value apart and refuse a stale write (compare-and-set)",
                p.format().substring(0, p.format().indexOf(" (add a target")));
    }

    @Test
    void withoutAJournalNamedAStoreWithoutCompareAndSetIsNotChosenByDefault() {
        String manifest = """
                version: 1
                stores:
                  plain: { type: plain, directory: d }
                secrets:
                  api-key:
                    generate: { type: password, length: 20 }
                    targets: [ { store: plain, name: api-key } ]
                """;
        ManifestException e = assertThrows(ManifestException.class, () -> new ManifestLoader(Fakes.vocabulary(List.of(NO_CAS))).parse(Path.of("m.yml"), manifest, Map.of()));
        assertTrue(e.problems().get(0).format().startsWith("m.yml:5:3: error: secrets.api-key.journal: secret 'api-key' "
                + "needs a readable journal"), e.problems().toString());
    }
}
