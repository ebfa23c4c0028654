package dev.rotor.store.azurepostgres;

import dev.rotor.http.Time;
import dev.rotor.store.Owner;
import dev.rotor.store.ProviderContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Opens the owner against an {@link ArmDouble} as the provider does, with virtual time for the operation's polls. */
final class Owners {
    private Owners() {
    }

    static Owner open(ArmDouble arm, Time time, Consumer<String> progress) {
        return open(arm, time, progress, new ProviderContext.Resends());
    }

    static Owner open(ArmDouble arm, Time time, Consumer<String> progress, ProviderContext.Resends resends) {
        return open(arm.settings(), arm.environment(), ArmDouble.ADMIN, time, progress, resends);
    }

    static Owner open(Map<String, Object> settings, Map<String, String> environment, String user, Time time,
                      Consumer<String> progress, ProviderContext.Resends resends) {
        return new AzurePostgresProvider(time, 2, Duration.ofMillis(20)).openOwner("pgserver", settings,
                Map.of("user", user), new ProviderContext(environment, Path.of("."), Clock.systemUTC(), progress,
                        resends));
    }
}
