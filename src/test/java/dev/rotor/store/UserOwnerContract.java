package dev.rotor.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of owners that rotate by alternating users ({@link Owner.Ability#SEVERAL_USERS}), run against each by
 * a subclass with the real system: logins are checked independently of the owner's own {@link Owner#test}.
 */
public abstract class UserOwnerContract {
    /** A fresh owner whose configured user is {@link #activeUser()}, logging in with {@link #initialValue()}. */
    protected abstract Owner owner();

    protected abstract String activeUser();

    protected abstract String initialValue();

    /** A user name no other test uses (the next user of an alternation). */
    protected abstract String freshUser();

    /** Whether the real system accepts a fresh login as {@code user} with {@code value} right now. */
    protected abstract boolean loginWorks(String user, String value);

    /** Opens a session logged in as {@code user} and keeps it open until closed. */
    protected abstract AutoCloseable openSession(String user, String value) throws Exception;

    @Test
    void theOwnerCanAlternateUsers() {
        assertTrue(owner().abilities().contains(Owner.Ability.SEVERAL_USERS));
    }

    @Test
    void aUserCreatedLikeTheActiveOneLogsInBesideIt() {
        Owner owner = owner();
        String next = freshUser();
        owner.createUserLike(next, "contract-next-1", activeUser());
        assertTrue(loginWorks(next, "contract-next-1"));
        assertTrue(loginWorks(activeUser(), initialValue()), "the active user keeps working: no downtime");
        assertEquals(Optional.empty(), owner.test(next, "contract-next-1"));
    }

    @Test
    void creatingAgainIsIdempotentAndResetsThePassword() {
        Owner owner = owner();
        String next = freshUser();
        owner.createUserLike(next, "contract-reset-1", activeUser());
        owner.createUserLike(next, "contract-reset-1", activeUser());
        assertTrue(loginWorks(next, "contract-reset-1"));
        owner.createUserLike(next, "contract-reset-2", activeUser());
        assertTrue(loginWorks(next, "contract-reset-2"));
        assertFalse(loginWorks(next, "contract-reset-1"), "a reset user keeps only its new password");
    }

    @Test
    void testAsAUserRefusesAWrongValueWithoutNamingIt() {
        Owner owner = owner();
        String next = freshUser();
        owner.createUserLike(next, "contract-right-1", activeUser());
        StoreException e = assertThrows(StoreException.class, () -> owner.test(next, "contract-wrong-value-1"));
        assertFalse(e.getMessage().contains("contract-wrong-value-1"), "messages name things, never values");
    }

    @Test
    void aRemovedUserNoLongerLogsInAndRemovingAgainIsDone() {
        Owner owner = owner();
        String next = freshUser();
        owner.createUserLike(next, "contract-remove-1", activeUser());
        assertEquals(Optional.empty(), owner.removeUser(next, false));
        assertFalse(loginWorks(next, "contract-remove-1"));
        assertEquals(Optional.empty(), owner.removeUser(next, false), "a user already gone is removed");
        assertTrue(loginWorks(activeUser(), initialValue()), "removing one user leaves the others");
    }

    @Test
    void aUserWithAnOpenSessionIsHeldBackUntilAnEmergencyEndsIt() throws Exception {
        Owner owner = owner();
        String next = freshUser();
        owner.createUserLike(next, "contract-session-1", activeUser());
        try (AutoCloseable session = openSession(next, "contract-session-1")) {
            Optional<String> heldBack = owner.removeUser(next, false);
            assertTrue(heldBack.isPresent(), "an open session holds the user back");
            assertTrue(heldBack.get().contains("session"), heldBack.get());
            assertTrue(loginWorks(next, "contract-session-1"), "held back: nothing changed");
            owner.removeUser(next, true);
            assertFalse(loginWorks(next, "contract-session-1"), "an emergency stops its logins at once");
        }
    }

    @Test
    void retireKeepsOnlyTheListedValuesOfTheActiveUser() {
        Owner owner = owner();
        owner.accept("contract-keep-1", initialValue());
        owner.retire(initialValue(), List.of("contract-keep-1"));
        assertTrue(loginWorks(activeUser(), "contract-keep-1"));
        assertFalse(loginWorks(activeUser(), initialValue()));
    }
}
