package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.UserOwnerContract;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL roles, created and removed by a least-privilege admin for alternating users: CREATEROLE, ADMIN
 * OPTION on the active role, and pg_signal_backend to end a retired user's sessions in an emergency.
 */
class PostgresUserOwnerContractTest extends UserOwnerContract {
    private static final String ADMIN = "rotor_users_admin";
    private static final String ADMIN_PASSWORD = "users-admin-Qm52";
    private static final String ACTIVE = "users_active";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final EmbeddedServer server = EmbeddedServer.get();

    @BeforeAll
    static void admin() {
        EmbeddedServer.get().sql("CREATE ROLE " + ADMIN + " LOGIN CREATEROLE PASSWORD '" + ADMIN_PASSWORD + "'",
                "GRANT pg_signal_backend TO " + ADMIN);
    }

    @Override
    protected Owner owner() {
        server.role(ACTIVE, initialValue());
        server.sql("GRANT " + ACTIVE + " TO " + ADMIN + " WITH ADMIN OPTION");
        return server.owner(ADMIN, ADMIN_PASSWORD, ACTIVE);
    }

    @Override
    protected String activeUser() {
        return ACTIVE;
    }

    @Override
    protected String initialValue() {
        return "users-initial-Rt83";
    }

    @Override
    protected String freshUser() {
        return "users_next_" + NEXT.incrementAndGet();
    }

    @Override
    protected boolean loginWorks(String user, String value) {
        return server.loginWorks(user, value);
    }

    @Override
    protected AutoCloseable openSession(String user, String value) throws Exception {
        return server.session(user, value);
    }
}
