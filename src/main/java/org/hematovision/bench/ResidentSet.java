package org.hematovision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set from {@code /proc/self/status}, split into anonymous memory (heap,
 * stacks, malloc: only swap could take it back) and file-backed pages (code and data of mapped
 * libraries and jars: the kernel can drop them and read them again). Bytes; -1 off Linux.
 */
public record ResidentSet(long totalBytes, long anonymousBytes, long fileBytes) {

    public static ResidentSet read() {
        long total = -1;
        long anon = -1;
        long file = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    total = kb(l);
                } else if (l.startsWith("RssAnon:")) {
                    anon = kb(l);
                } else if (l.startsWith("RssFile:")) {
                    file = kb(l);
                }
            }
        } catch (IOException e) {
            // not Linux: -1
        }
        return new ResidentSet(total, anon, file);
    }

    private static long kb(String line) {
        return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
    }
}
