package org.hematovision.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hematovision.config.AppConfig;
import org.hematovision.config.Settings;
import picocli.CommandLine.Option;

/**
 * The configuration file and its overrides: every command that reads the appliance's configuration
 * (where {@code run} keeps its data, for instance) takes them, so it finds what {@code run} wrote.
 */
final class ConfigFileOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (key = value lines; see docs/configuration.md).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** File, then --set, then {@code dedicated} (a command's own options): the most specific wins. */
    AppConfig load(Map<String, String> dedicated) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(dedicated);
        return AppConfig.from(Settings.load(configFile, all));
    }
}
