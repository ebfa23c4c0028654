package dev.rotor.store.redis;

import dev.rotor.store.Owner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.params.ClientKillParams;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin session is one AUTH per server for a run, whatever the steps and owners; login tests stay fresh
 * connections; close ends it; one the server killed is replaced and the step still succeeds. Connections are counted
 * with INFO stats (total_connections_received), so one opened and closed within a step counts.
 */
class RedisAdminSessionTest {
    @RegisterExtension
    static final EmbeddedRedis redis = new EmbeddedRedis();

    /** A test that failed before its close would leave the shared connection open for the next one. */
    @AfterEach
    void closeTheAdminSession() {
        redis.owner("any").close();
    }

    private long connectionsReceived() {
        String stats = redis.observe(jedis -> jedis.info("stats"));
        return stats.lines().filter(line -> line.startsWith("total_connections_received:"))
                .map(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    /** Connections since {@code before} (a count taken by {@link #connectionsReceived}), less the count's own. */
    private long connectionsSince(long before) {
        return connectionsReceived() - before - 1;
    }

    /** The ids of the clients logged in as the admin. */
    private List<String> adminClients() {
        return redis.observe(jedis -> jedis.clientList()).lines()
                .filter(line -> List.of(line.split(" ")).contains("user=" + EmbeddedRedis.ADMIN))
                .map(line -> line.split(" ")[0]).toList();
    }

    /** The server drops a closed client asynchronously: waits up to 5 s for the admin's to be gone. */
    private List<String> adminClientsOnceClosed() throws InterruptedException {
        for (int i = 0; i < 50 && !adminClients().isEmpty(); i++) {
            Thread.sleep(100);
        }
        return adminClients();
    }

    @Test
    void everyStepOfTwoOwnersAuthenticatesTheAdminOnceAndCloseEndsIt() throws Exception {
        redis.user("dual", "dual-old-Qa1");
        redis.user("alt", "alt-old-Qb2");
        Owner dual = redis.owner("dual");
        Owner alternating = redis.owner("alt");
        long before = connectionsReceived();

        dual.preflight(null);
        alternating.preflight(null);
        dual.accept("dual-new-Qa1", "dual-old-Qa1");
        assertEquals(Optional.empty(), dual.test("dual-new-Qa1"));
        dual.retire("dual-old-Qa1", List.of("dual-new-Qa1"));
        alternating.createUserLike("alt_v2", "alt-new-Qb2", "alt");
        assertEquals(Optional.empty(), alternating.test("alt_v2", "alt-new-Qb2"));
        assertEquals(Optional.empty(), alternating.removeUser("alt", false));
        List<String> clients = adminClients();

        assertEquals(3, connectionsSince(before) - 1, "one admin connection and the two login tests' own");
        assertEquals(1, clients.size(), "one admin client during the run: " + clients);
        assertTrue(redis.loginWorks("dual", "dual-new-Qa1"));
        assertFalse(redis.loginWorks("dual", "dual-old-Qa1"), "retire ran");
        assertTrue(redis.loginWorks("alt_v2", "alt-new-Qb2"));
        assertNull(redis.observe(jedis -> jedis.aclGetUser("alt")), "removeUser ran");

        dual.close();
        assertEquals(List.of(), adminClientsOnceClosed(), "close ends the admin connection");
        alternating.close();
        long reopened = connectionsReceived();
        alternating.preflight("alt_v2");
        assertEquals(1, connectionsSince(reopened), "a step after close logs in again");
    }

    @Test
    void anAdminConnectionTheServerKilledIsReplacedOnceAndTheStepSucceeds() throws Exception {
        redis.user("killed", "killed-old-Qc3");
        Owner owner = redis.owner("killed");
        owner.preflight(null);
        List<String> clients = adminClients();
        assertEquals(1, clients.size());
        redis.observe(jedis -> jedis.clientKill(new ClientKillParams().user(EmbeddedRedis.ADMIN)));
        assertEquals(List.of(), adminClientsOnceClosed());
        long before = connectionsReceived();

        owner.accept("killed-new-Qc3", "killed-old-Qc3");

        assertTrue(redis.loginWorks("killed", "killed-new-Qc3"), "the step ran on the new connection");
        List<String> after = adminClients();
        assertEquals(1, after.size());
        assertNotEquals(clients, after);
        // Since the kill: the replacement, the login check's and CLIENT LIST's.
        assertEquals(1, connectionsSince(before) - 2, "one new admin connection");
        owner.close();
    }
}
