package org.hematovision.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code tinylog.properties} with tinylog 2.7: the rolling file goes to
 * {@code HEMATOVISION_LOG_DIR}, rolls by size and keeps a bounded number of backups. The real file is
 * used with only its size and count scaled down (20 kB, 3 backups) so the test stays small.
 */
class LogConfigTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void rollingFilesAreBoundedInSizeAndCountAndFollowTheLogDirVariable(@TempDir Path dir) throws Exception {
        String real = Files.readString(Path.of("src/main/resources/tinylog.properties"));
        assertTrue(real.contains("writer2.policies = startup, size: 10mb"), real);
        assertTrue(real.contains("writer2.backups = 10"), real);
        Path scaled = dir.resolve("tinylog.properties");
        Files.writeString(scaled, real.replace("size: 10mb", "size: 20kb").replace("backups = 10", "backups = 3"));
        Path logs = dir.resolve("logs");
        for (int run = 0; run < 3; run++) { // three service starts (the startup policy rolls too)
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dtinylog.configuration=" + scaled, "-cp", System.getProperty("java.class.path"),
                    LogFloodChild.class.getName(), "2000")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("HEMATOVISION_LOG_DIR", logs.toString());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
            assertEquals(0, p.exitValue());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.sorted().toList();
        }
        List<Path> numbered = files.stream().filter(f -> f.getFileName().toString().matches("hematovision-\\d+\\.log")).toList();
        // tinylog 2.7 keeps `backups` numbered files in all (the current one included); ~600 kB were written.
        assertEquals(3, numbered.size(), "3 files kept of the ~30 written: " + files);
        assertTrue(files.contains(logs.resolve("hematovision.log")), "latest link: " + files);
        for (Path f : numbered) {
            assertTrue(Files.size(f) < 20 * 1024 + 200, f + " is " + Files.size(f) + " bytes");
        }
    }
}
