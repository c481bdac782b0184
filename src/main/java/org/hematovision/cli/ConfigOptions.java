package org.hematovision.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hematovision.config.AppConfig;
import org.hematovision.config.Settings;
import picocli.CommandLine.Option;

/** The configuration options shared by the commands that run the pipeline. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (key = value lines; see docs/configuration.md).")
    Path configFile;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "Frame source: v4l2:/dev/videoN, video:FILE, images:DIR, synthetic[:SEED] (default: synthetic).")
    String source;

    @Option(names = "--model", paramLabel = "DIR", description = "Classifier bundle directory (default: models/wbc-mobilenetv2).")
    Path model;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** File, then --set, then the dedicated options: the most specific wins. */
    AppConfig load() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (source != null) {
            all.put("capture.source", source);
        }
        if (model != null) {
            all.put("inference.model", model.toString());
        }
        return AppConfig.from(Settings.load(configFile, all));
    }
}
