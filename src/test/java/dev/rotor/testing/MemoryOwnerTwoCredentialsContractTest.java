package dev.rotor.testing;

import dev.rotor.store.Owner;

/** The same contract with two valid credentials at once (like a Redis ACL user). */
class MemoryOwnerTwoCredentialsContractTest extends MemoryOwnerContractTest {
    @Override
    protected Owner owner() {
        return open(true);
    }
}
