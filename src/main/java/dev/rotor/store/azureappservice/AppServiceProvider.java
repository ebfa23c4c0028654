package dev.rotor.store.azureappservice;

import dev.rotor.manifest.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.rotor.azure.AzureConnection;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: azure-app-service}: the application settings of an App Service app or slot, through Azure Resource
 * Manager, with {@code restart: true} targets restarting the app once per unit. Readable, not a journal (ARM has no
 * compare-and-set on application settings). No Azure SDK type appears here: the SDK loads when a store is opened.
 * See docs/azure-app-service.md.
 */
public final class AppServiceProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.RESTART, Capability.DELETE);
    /** Letters, digits, underscores, periods and hyphens (Linux apps turn periods and hyphens into underscores). */
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final AzureConnection.Retries retries;

    public AppServiceProvider() {
        this(AzureConnection.Retries.DEFAULT);
    }

    /** With other retry bounds: for tests. */
    AppServiceProvider(AzureConnection.Retries retries) {
        this.retries = retries;
    }

    @Override
    public String type() {
        return "azure-app-service";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("subscription", "resource-group", "app", "slot", "management-url", "ca-bundle", "restart-timeout",
                "restart-wait");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("subscription", "resource-group", "app");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return AppServiceSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("restart");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>();
        Object restart = scope.get("restart");
        if (restart != null && !(restart instanceof Boolean) && !Template.unrendered(restart)) {
            problems.add(new KeyProblem("restart", "restart must be true or false (true: restart the app once its "
                    + "settings hold the new value)", "see docs/azure-app-service.md"));
        }
        return problems;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String checkTargetName(String name) {
        return nameProblem(name);
    }

    static String nameProblem(String name) {
        return name != null && SETTING_NAME.matcher(name).matches() ? null : "an application setting name is letters, "
                + "digits, underscores, periods and hyphens (e.g. DATABASE_URL)";
    }

    /** Opens the store without a request: the credential and the app are first used by preflight. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        AppServiceSettings parsed = AppServiceSettings.parse(storeName, settings, context.baseDirectory());
        AzureConnection azure = new AzureConnection("store '" + storeName + "' (azure-app-service)", context,
                parsed.caBundle(), retries);
        return new AppServiceStore(parsed, azure, context.progress());
    }
}
