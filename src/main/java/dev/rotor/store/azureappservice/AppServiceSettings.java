package dev.rotor.store.azureappservice;

import dev.rotor.manifest.Template;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.rotor.manifest.Durations;
import static dev.rotor.azure.AzureSettings.caBundlePath;
import static dev.rotor.azure.AzureSettings.httpsUrl;
import static dev.rotor.azure.AzureSettings.text;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.azure.AzureSettings;

/**
 * The rendered settings of one {@code type: azure-app-service} store, checked before any network call (validate
 * reads the manifest alone; values still holding a template wait for plan). One reading serves both.
 */
record AppServiceSettings(String subscription, String resourceGroup, String app, String slot, String managementUrl,
                          Path caBundle, Duration restartTimeout, boolean waitForHost) {
    static final String DEFAULT_MANAGEMENT_URL = "https://management.azure.com";
    static final Duration DEFAULT_RESTART_TIMEOUT = Duration.ofMinutes(5);
    private static final String DOCS = "see docs/azure-app-service.md for the settings of an azure-app-service store";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Azure's rules: a resource group is 1-90 of letters, digits, - _ . ( ) and does not end in a period. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{0,89}[-\\w_()]");
    /** An app (and a slot) is 2-60 letters, digits and hyphens, neither first nor last a hyphen. */
    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]");

    /** The ARM path of the app or its slot, below the management URL. */
    String sitePath() {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.Web/sites/"
                + app + (slot == null ? "" : "/slots/" + slot);
    }

    /** How messages name the app: {@code mindwell-dev-api} or {@code mindwell-dev-api (slot staging)}. */
    String describeApp() {
        return app + (slot == null ? "" : " (slot " + slot + ")");
    }

    static AppServiceSettings parse(String storeName, Map<String, Object> settings, Path baseDirectory) {
        return AzureSettings.parse("store '" + storeName + "' (azure-app-service)", DOCS, problems -> read(settings, baseDirectory, problems));
    }

    static List<KeyProblem> check(Map<String, Object> settings) {
        return AzureSettings.check(problems -> read(settings, null, problems));
    }

    private static AppServiceSettings read(Map<String, Object> settings, Path baseDirectory, List<KeyProblem> problems) {
        String subscription = text(settings, "subscription");
        check(problems, "subscription", subscription, GUID, "subscription must be a subscription id (a GUID such as "
                + "00000000-0000-0000-0000-000000000000), not its name");
        String resourceGroup = text(settings, "resource-group");
        check(problems, "resource-group", resourceGroup, RESOURCE_GROUP, "resource-group '" + resourceGroup + "' is not a "
                + "resource group name (1-90 letters, digits, - _ . ( ), not ending in a period)");
        String app = text(settings, "app");
        check(problems, "app", app, SITE, "app '" + app + "' is not an App Service name (2-60 letters, digits and hyphens)");
        String slot = text(settings, "slot");
        check(problems, "slot", slot, SITE, "slot '" + slot + "' is not a deployment slot name (letters, digits and hyphens)");
        String managementUrl = text(settings, "management-url");
        if (managementUrl == null) {
            managementUrl = DEFAULT_MANAGEMENT_URL;
        } else if (!Template.unrendered(managementUrl)) {
            while (managementUrl.endsWith("/")) {
                managementUrl = managementUrl.substring(0, managementUrl.length() - 1);
            }
            if (!httpsUrl(managementUrl)) {
                problems.add(new KeyProblem("management-url", "management-url must be an https URL such as "
                        + DEFAULT_MANAGEMENT_URL + " (another cloud's Resource Manager endpoint)", DOCS));
            }
        }
        Duration restartTimeout = DEFAULT_RESTART_TIMEOUT;
        String timeout = text(settings, "restart-timeout");
        if (timeout != null && !Template.unrendered(timeout)) {
            try {
                restartTimeout = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                problems.add(new KeyProblem("restart-timeout", "restart-timeout must be " + Durations.FORMS, DOCS));
            }
        }
        String wait = text(settings, "restart-wait");
        if (wait != null && !Template.unrendered(wait) && !wait.equals("host") && !wait.equals("state")) {
            problems.add(new KeyProblem("restart-wait", "restart-wait must be host (the app's state, then an answer "
                    + "from its host name) or state (the app's state only, for an app on a private endpoint)", DOCS));
        }
        Path caBundle = caBundlePath(settings, baseDirectory);
        return new AppServiceSettings(subscription, resourceGroup, app, slot, managementUrl, caBundle, restartTimeout,
                !"state".equals(wait));
    }

    private static void check(List<KeyProblem> problems, String key, String value, Pattern pattern, String message) {
        if (value != null && !Template.unrendered(value) && !pattern.matcher(value).matches()) {
            problems.add(new KeyProblem(key, message, DOCS));
        }
    }

}
