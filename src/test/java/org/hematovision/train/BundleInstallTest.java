package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained bundle is moved into place whole, next to the files a bundle directory also holds. */
class BundleInstallTest {

    @TempDir
    Path tmp;

    @Test
    void installReplacesTheModelAndKeepsTheCard() throws IOException {
        Path out = tmp.resolve("models/wbc");
        Files.createDirectories(out.resolve("saved_model/variables"));
        Files.writeString(out.resolve("saved_model/saved_model.pb"), "old graph");
        Files.writeString(out.resolve("saved_model/variables/stale"), "old");
        Files.writeString(out.resolve("model.json"), "old json");
        Files.writeString(out.resolve("MODEL_CARD.md"), "card");
        Path staging = tmp.resolve("models/wbc.partial");
        Files.createDirectories(staging.resolve("saved_model"));
        Files.writeString(staging.resolve("saved_model/saved_model.pb"), "new graph");
        Files.writeString(staging.resolve("model.json"), "new json");

        BundleExporter.install(staging, out);

        assertEquals("new graph", Files.readString(out.resolve("saved_model/saved_model.pb")));
        assertFalse(Files.exists(out.resolve("saved_model/variables/stale")), "nothing of the old SavedModel is left");
        assertEquals("new json", Files.readString(out.resolve("model.json")));
        assertEquals("card", Files.readString(out.resolve("MODEL_CARD.md")));
        assertFalse(Files.exists(staging));
    }
}
