package org.hematovision.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hematovision.config.AppConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The configuration options shared by the commands that run the pipeline. */
final class ConfigOptions {

    @Mixin
    ConfigFileOptions file;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "Frame source: v4l2:/dev/videoN, video:FILE, images:DIR, synthetic[:SEED] (default: synthetic).")
    String source;

    @Option(names = "--model", paramLabel = "DIR", description = "Classifier bundle directory (default: models/wbc-mobilenetv2).")
    Path model;

    /** File, then --set, then the dedicated options: the most specific wins. */
    AppConfig load() {
        Map<String, String> dedicated = new LinkedHashMap<>();
        if (source != null) {
            dedicated.put("capture.source", source);
        }
        if (model != null) {
            dedicated.put("inference.model", model.toString());
        }
        return file.load(dedicated);
    }
}
