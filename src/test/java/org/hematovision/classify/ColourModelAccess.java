package org.hematovision.classify;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages export the colour fixture model. */
public final class ColourModelAccess {

    private ColourModelAccess() {
    }

    public static void exportSavedModel(Path dir) throws IOException {
        ColourModel.exportSavedModel(dir);
    }
}
