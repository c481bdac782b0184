package org.hematovision.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Backbone activations at the cut (one float array per sample) with labels. Lives in memory and in a
 * work folder outside the repository, so a resumed run does not recompute it.
 */
public record FeatureCache(float[][] features, int[] labels, long[] shape) {

    public int size() {
        return labels.length;
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.FileOutputStream file0 = new java.io.FileOutputStream(tmp.toFile());
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file0, 1 << 20))) {
            out.writeInt(labels.length);
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            for (int i = 0; i < labels.length; i++) {
                out.writeInt(labels[i]);
                for (float v : features[i]) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            file0.getFD().sync();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static FeatureCache load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int n = in.readInt();
            long[] shape = new long[in.readInt()];
            int len = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                len *= (int) shape[d];
            }
            float[][] f = new float[n][len];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
                for (int j = 0; j < len; j++) {
                    f[i][j] = in.readFloat();
                }
            }
            return new FeatureCache(f, labels, shape);
        }
    }
}
