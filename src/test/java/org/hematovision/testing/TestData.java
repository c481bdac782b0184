package org.hematovision.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared/data}. Tests that need it call {@link #assumeShared()}: where the data is
 * absent (a fresh clone elsewhere) they are skipped with a visible message; in CI they run.
 */
public final class TestData {

    private TestData() {
    }

    public static Path sharedData() {
        String prop = System.getProperty("hematovision.shared");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "shared");
        return shared.resolve("data").toAbsolutePath().normalize();
    }

    /** The shared data folder, or skip the calling test with a message saying where it was looked for. */
    public static Path assumeShared() {
        Path data = sharedData();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("pbc")) && Files.isDirectory(data.resolve("bccd")),
                () -> "SKIPPED: reference data not found at " + data + " (needs ../shared/data beside the project)");
        return data;
    }
}
