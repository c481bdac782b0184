package org.hematovision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * One reading of the process's memory: resident set and its peak from {@code /proc/self/status},
 * Java heap in use, and native memory held through JavaCPP (OpenCV Mats, TF tensors allocated by
 * JavaCPP). Values are bytes; -1 where the platform does not tell.
 */
public record ProcessMemory(long residentBytes, long peakResidentBytes, long heapUsedBytes, long javacppBytes,
                            long javacppPhysicalBytes, long openFileDescriptors, int threads) {

    public static ProcessMemory read() {
        long rss = -1;
        long hwm = -1;
        int threads = -1;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("VmRSS:")) {
                    rss = kb(l);
                } else if (l.startsWith("VmHWM:")) {
                    hwm = kb(l);
                } else if (l.startsWith("Threads:")) {
                    // every thread of the process, native ones (TF, OpenCV, FFmpeg) included
                    threads = Integer.parseInt(l.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException e) {
            // not Linux: leave -1
        }
        long fds = -1;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        } catch (IOException e) {
            // not Linux
        }
        Runtime rt = Runtime.getRuntime();
        return new ProcessMemory(rss, hwm, rt.totalMemory() - rt.freeMemory(), Pointer.totalBytes(),
                Pointer.physicalBytes(), fds, threads >= 0 ? threads : Thread.activeCount());
    }

    private static long kb(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    public static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MB", bytes / 1048576.0);
    }
}
