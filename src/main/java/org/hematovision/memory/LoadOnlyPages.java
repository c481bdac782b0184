package org.hematovision.memory;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tinylog.Logger;

/**
 * Drops from the process's page table the pages of a shared library that were read only while it
 * was loaded. Loading TensorFlow's 630 MB library touches about 200 MB of it (relocation tables and
 * the static registration of every kernel); inference then uses about 15 MB of those pages. They
 * are clean copies of the file, so {@code madvise(MADV_DONTNEED)} on them is safe: a page needed
 * again is read back from the page cache on its next access.
 *
 * <p>Only private mappings that are not writable and hold no private (anonymous) page are touched:
 * their contents are exactly the file's. Relocated (RELRO) and data segments are left alone.
 */
public final class LoadOnlyPages {

    private static final int MADV_DONTNEED = 4; // same value on x86-64 and arm64 Linux

    /** What one release did. */
    public record Released(int mappings, long residentBytesBefore, long residentBytesAfter) {
        public long releasedBytes() {
            return Math.max(0, residentBytesBefore - residentBytesAfter);
        }
    }

    private interface LibC extends Library {
        int madvise(Pointer address, NativeLong length, int advice);
    }

    private LoadOnlyPages() {
    }

    /**
     * Releases the clean load-time pages of every mapped file whose name contains {@code fileNamePart}.
     *
     * @return what was released; zero mappings where the platform offers no {@code /proc/self/smaps}
     *         or {@code madvise} (logged once, nothing else happens)
     */
    public static Released release(String fileNamePart) {
        List<Mapping> candidates;
        try {
            candidates = Mapping.read(Path.of("/proc/self/smaps"), fileNamePart);
        } catch (IOException | RuntimeException e) {
            Logger.debug("no /proc/self/smaps ({}): library pages not released", e.toString());
            return new Released(0, 0, 0);
        }
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            Logger.warn("madvise unavailable ({}): {} pages stay resident", e.getMessage(), fileNamePart);
            return new Released(0, 0, 0);
        }
        long before = 0;
        int advised = 0;
        for (Mapping m : candidates) {
            if (!m.releasable()) {
                continue;
            }
            before += m.residentBytes();
            if (libc.madvise(new Pointer(m.start()), new NativeLong(m.end() - m.start()), MADV_DONTNEED) == 0) {
                advised++;
            } else {
                Logger.debug("madvise refused for {} at {}", m.path(), Long.toHexString(m.start()));
            }
        }
        long after = 0;
        try {
            for (Mapping m : Mapping.read(Path.of("/proc/self/smaps"), fileNamePart)) {
                if (m.releasable()) {
                    after += m.residentBytes();
                }
            }
        } catch (IOException e) {
            after = before;
        }
        return new Released(advised, before, after);
    }

    /** One mapping of {@code /proc/self/smaps}, the fields that decide whether it may be released. */
    record Mapping(long start, long end, String permissions, String path, long residentBytes, long anonymousBytes) {

        /** Read-only (or read-execute) private file mapping without any private page: identical to the file. */
        boolean releasable() {
            return permissions.length() == 4 && permissions.charAt(1) == '-' && permissions.charAt(3) == 'p'
                    && anonymousBytes == 0 && !path.isEmpty() && !path.startsWith("[");
        }

        static List<Mapping> read(Path smaps, String fileNamePart) throws IOException {
            return parse(Files.readAllLines(smaps), fileNamePart);
        }

        static List<Mapping> parse(List<String> lines, String fileNamePart) {
            List<Mapping> out = new java.util.ArrayList<>();
            String[] head = null;
            long rss = 0;
            long anon = -1;
            for (String line : lines) {
                if (isHeader(line)) {
                    add(out, head, rss, anon, fileNamePart);
                    head = line.trim().split("\\s+", 6);
                    rss = 0;
                    anon = -1; // unknown until read: such a mapping is never released
                } else if (line.startsWith("Rss:")) {
                    rss = kb(line);
                } else if (line.startsWith("Anonymous:")) {
                    anon = kb(line);
                }
            }
            add(out, head, rss, anon, fileNamePart);
            return out;
        }

        private static void add(List<Mapping> out, String[] head, long rss, long anon, String part) {
            if (head == null || head.length < 6 || !head[5].contains(part)) {
                return;
            }
            String[] range = head[0].split("-");
            out.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), head[1],
                    head[5].trim(), rss, anon < 0 ? Long.MAX_VALUE : anon));
        }

        private static boolean isHeader(String line) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }

        private static long kb(String line) {
            String[] p = line.trim().split("\\s+");
            return Long.parseLong(p[1]) * 1024;
        }
    }
}
