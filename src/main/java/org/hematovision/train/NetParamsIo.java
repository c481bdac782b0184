package org.hematovision.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Binary files of selected {@link NetParams} entries (work files of training, not the bundle). */
public final class NetParamsIo {

    private NetParamsIo() {
    }

    public static void write(Path file, NetParams params, List<String> keys) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.FileOutputStream file0 = new java.io.FileOutputStream(tmp.toFile());
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file0, 1 << 20))) {
            out.writeInt(keys.size());
            for (String k : keys) {
                NetParams.Param p = params.get(k);
                out.writeUTF(k);
                out.writeInt(p.shape().length);
                for (long d : p.shape()) {
                    out.writeLong(d);
                }
                out.writeInt(p.values().length);
                for (float v : p.values()) {
                    out.writeFloat(v);
                }
            }
            // on disk before the rename: a checkpoint the state file names must survive a power cut
            out.flush();
            file0.getFD().sync();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void readInto(Path file, NetParams params) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String k = in.readUTF();
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                float[] v = new float[in.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                params.put(k, shape, v);
            }
        }
    }
}
