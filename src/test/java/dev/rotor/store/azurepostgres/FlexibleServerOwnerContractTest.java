package dev.rotor.store.azurepostgres;

import dev.rotor.github.FakeTime;
import dev.rotor.store.Owner;
import dev.rotor.store.OwnerContract;
import dev.rotor.store.postgres.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;

/**
 * The flexible server's administrator, changed through the ARM double whose operation really sets the embedded
 * PostgreSQL role's password, keeps the owner contract: one credential, changed in place.
 */
class FlexibleServerOwnerContractTest extends OwnerContract {
    private final EmbeddedServer postgres = EmbeddedServer.get();
    private ArmDouble arm;

    @Override
    protected Owner owner() {
        close();
        postgres.role(ArmDouble.ADMIN, initialValue());
        arm = new ArmDouble(postgres);
        return Owners.open(arm, new FakeTime(), line -> { });
    }

    @Override
    protected String initialValue() {
        return "flex-initial-Pw5";
    }

    @Override
    protected boolean loginWorks(String value) {
        return postgres.loginWorks(ArmDouble.ADMIN, value);
    }

    @AfterEach
    void close() {
        if (arm != null) {
            arm.close();
            arm = null;
        }
    }
}
