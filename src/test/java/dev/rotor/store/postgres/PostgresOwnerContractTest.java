package dev.rotor.store.postgres;

import dev.rotor.store.Owner;
import dev.rotor.store.OwnerContract;

/** A real PostgreSQL role, altered by a CREATEROLE admin (not a superuser), keeps the owner contract. */
class PostgresOwnerContractTest extends OwnerContract {
    private static final String ROLE = "contract_user";
    private final EmbeddedServer server = EmbeddedServer.get();

    @Override
    protected Owner owner() {
        server.role(ROLE, initialValue());
        return server.owner(ROLE);
    }

    @Override
    protected String initialValue() {
        return "contract-initial-Pw4";
    }

    @Override
    protected boolean loginWorks(String value) {
        return server.loginWorks(ROLE, value);
    }
}
