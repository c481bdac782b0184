package org.hematovision.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class LoadOnlyPagesTest {

    private static final List<String> SMAPS = List.of(
            "7f0000000000-7f0000100000 r--p 00000000 fe:00 1234   /cache/libtensorflow_cc.so.2",
            "Rss:                 800 kB",
            "Anonymous:             0 kB",
            "7f0000100000-7f0000300000 r-xp 00100000 fe:00 1234   /cache/libtensorflow_cc.so.2",
            "Rss:                1600 kB",
            "Anonymous:             0 kB",
            "7f0000300000-7f0000310000 r--p 00300000 fe:00 1234   /cache/libtensorflow_cc.so.2",
            "Rss:                  64 kB",
            "Anonymous:            64 kB",
            "7f0000310000-7f0000320000 rw-p 00310000 fe:00 1234   /cache/libtensorflow_cc.so.2",
            "Rss:                  64 kB",
            "Anonymous:            12 kB",
            "7f0000400000-7f0000500000 r-xp 00000000 fe:00 99     /usr/lib/libc.so.6",
            "Rss:                 512 kB",
            "Anonymous:             0 kB",
            "7f0000600000-7f0000700000 r--s 00000000 fe:00 77     /cache/libtensorflow_shared_map",
            "Rss:                 100 kB",
            "Anonymous:             0 kB");

    @Test
    void onlyCleanReadOnlyPrivateMappingsOfTheNamedFileAreReleasable() {
        List<LoadOnlyPages.Mapping> maps = LoadOnlyPages.Mapping.parse(SMAPS, "libtensorflow");
        assertEquals(5, maps.size(), "libc is not named");
        assertTrue(maps.get(0).releasable(), "read-only, no private page");
        assertTrue(maps.get(1).releasable(), "code, no private page");
        assertFalse(maps.get(2).releasable(), "RELRO: relocated by the loader, private pages would be lost");
        assertFalse(maps.get(3).releasable(), "writable data");
        assertFalse(maps.get(4).releasable(), "shared mapping");
        assertEquals(0x7f0000100000L, maps.get(1).start());
        assertEquals(1600 * 1024L, maps.get(1).residentBytes());
    }

    @Test
    void aMappingWithoutAnAnonymousLineIsNeverReleased() {
        List<LoadOnlyPages.Mapping> maps = LoadOnlyPages.Mapping.parse(List.of(
                "7f0000000000-7f0000100000 r-xp 00000000 fe:00 1234   /cache/libtensorflow_cc.so.2",
                "Rss:                 800 kB"), "libtensorflow");
        assertFalse(maps.get(0).releasable());
    }

    /** The real library: its load-time pages leave the resident set and TensorFlow still computes. */
    @Test
    void tensorflowKeepsWorkingAfterItsLoadTimePagesAreReleased() {
        assumeTrue(Files.exists(Path.of("/proc/self/smaps")), "Linux only");
        org.tensorflow.TensorFlow.version();
        float before = add(1.5f, 2.25f);
        LoadOnlyPages.Released r = LoadOnlyPages.release("libtensorflow");
        assertTrue(r.mappings() >= 2, "TensorFlow's read-only and code segments: " + r);
        // Loading touches ~200 MB of them; whether this call or an earlier appliance in the same JVM
        // released them, little may stay resident now.
        assertTrue(r.residentBytesAfter() < 60L << 20, "load-time pages still resident: " + r);
        assertEquals(3.75f, add(1.5f, 2.25f), 0f);
        assertEquals(before, add(1.5f, 2.25f), 0f);
    }

    private static float add(float a, float b) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var sum = tf.math.add(tf.constant(a), tf.constant(b));
            try (TFloat32 t = (TFloat32) s.runner().fetch(sum).run().get(0)) {
                return t.getFloat();
            }
        }
    }
}
