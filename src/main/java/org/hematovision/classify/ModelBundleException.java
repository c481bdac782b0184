package org.hematovision.classify;

import java.nio.file.Path;

/**
 * A model bundle cannot be used: missing or corrupt file, invalid {@code model.json}, or TensorFlow
 * refused the SavedModel. The message starts with the offending path and says what is wrong and,
 * where there is one, what to do.
 */
public class ModelBundleException extends RuntimeException {

    private final Path path;

    public ModelBundleException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public ModelBundleException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** The file or directory at fault. */
    public Path path() {
        return path;
    }
}
