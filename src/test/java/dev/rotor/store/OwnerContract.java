package dev.rotor.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every owner keeps (PostgreSQL roles, Redis ACL users, key sets...), run against each by a subclass.
 * A subclass supplies an owner whose credential currently is {@link #initialValue()}, and says whether a login with a
 * value works on the real system (independently of the owner's own {@link Owner#test}).
 */
public abstract class OwnerContract {
    /** A fresh owner for a fresh credential, currently valid with {@link #initialValue()}. */
    protected abstract Owner owner();

    protected abstract String initialValue();

    /** Whether the backing system accepts a login with {@code value} right now. */
    protected abstract boolean loginWorks(String value);

    @Test
    void preflightChangesNothing() {
        owner().preflight(null);
        assertTrue(loginWorks(initialValue()));
    }

    @Test
    void acceptedValuesLogInAndTestSaysSo() {
        Owner owner = owner();
        owner.accept("contract-new-value-1", initialValue());
        assertTrue(loginWorks("contract-new-value-1"));
        assertDoesNotThrow(() -> owner.test("contract-new-value-1"));
    }

    @Test
    void acceptIsIdempotentForAResumedRotation() {
        Owner owner = owner();
        owner.accept("contract-again-1", initialValue());
        owner.accept("contract-again-1", initialValue());
        assertTrue(loginWorks("contract-again-1"));
    }

    @Test
    void testRefusesAValueTheSystemDoesNotAccept() {
        Owner owner = owner();
        StoreException e = assertThrows(StoreException.class, () -> owner.test("never-accepted-value"));
        assertFalse(e.getMessage().contains("never-accepted-value"), "messages name things, never values");
    }

    @Test
    void theOldValueStaysValidUntilRetiredWhenTheOwnerHoldsTwo() {
        Owner owner = owner();
        owner.accept("contract-two-1", initialValue());
        if (owner.abilities().contains(Owner.Ability.SEVERAL_CREDENTIALS)) {
            assertTrue(loginWorks(initialValue()), "both valid until retire");
            owner.retire(initialValue(), java.util.List.of("contract-two-1"));
        }
        assertFalse(loginWorks(initialValue()));
        assertTrue(loginWorks("contract-two-1"));
        assertDoesNotThrow(() -> owner.retire(initialValue(), java.util.List.of("contract-two-1")), "retire is idempotent");
        assertTrue(loginWorks("contract-two-1"));
    }

    /** The first rotation does not know the value set by hand (old is null): it still works until retire, not after. */
    @Test
    void afterRetireACredentialSetByHandBeforeTheFirstRotationNoLongerLogsInTheNewOneDoes() {
        Owner owner = owner();
        owner.accept("contract-first-1", null);
        assertTrue(loginWorks("contract-first-1"));
        if (owner.abilities().contains(Owner.Ability.SEVERAL_CREDENTIALS)) {
            assertTrue(loginWorks(initialValue()), "the hand-set credential works until retire: no downtime");
        }
        owner.retire(null, java.util.List.of("contract-first-1"));
        assertFalse(loginWorks(initialValue()), "the hand-set credential no longer logs in");
        assertTrue(loginWorks("contract-first-1"));
        owner.retire(null, java.util.List.of("contract-first-1"));
        assertTrue(loginWorks("contract-first-1"), "retire is idempotent");
    }

    @Test
    void rollbackIsAcceptingThePreviousValueAgain() {
        Owner owner = owner();
        owner.accept("contract-forward-1", initialValue());
        owner.retire(initialValue(), java.util.List.of("contract-forward-1"));
        owner.accept(initialValue(), "contract-forward-1");
        owner.retire("contract-forward-1", java.util.List.of(initialValue()));
        assertTrue(loginWorks(initialValue()));
        assertFalse(loginWorks("contract-forward-1"));
    }
}
