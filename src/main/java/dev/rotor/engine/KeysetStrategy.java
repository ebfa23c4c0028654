package dev.rotor.engine;

import dev.rotor.store.Owner;

import java.util.List;

/**
 * Signing keys by version (runbook 003 §3): a rotation adds the next version ({@code jwt-secret-v2}), makes it the
 * active key, and the previous version stays published for the grace period (the token lifetime) so tokens it
 * signed still verify; a later run deletes it. No owner: the stores are the system that holds the keys.
 */
final class KeysetStrategy implements Strategy {
    @Override
    public String name() {
        return "keyset";
    }

    @Override
    public boolean named() {
        return true;
    }

    @Override
    public String nameField() {
        return dev.rotor.manifest.SecretValue.KID;
    }

    @Override
    public String nextName(Unit unit, String currentName) {
        return AlternatingUsersStrategy.Series.next(unit.secret().keyIdPattern(), currentName, 1);
    }

    @Override
    public void accept(Owner owner, JournalRecord record) {
    }

    @Override
    public void retire(Owner owner, JournalRecord record, List<String> kept) {
    }
}
