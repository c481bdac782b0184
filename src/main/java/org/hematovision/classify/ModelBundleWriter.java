package org.hematovision.classify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a directory holding an exported SavedModel ({@code DIR/saved_model/}) into a bundle by
 * writing {@code DIR/model.json} with the SHA-256 of every file of the SavedModel.
 *
 * <p>The file is written to a temporary name, flushed to disk and renamed over {@code model.json},
 * so a crash leaves either the old bundle or the new one, never a half-written {@code model.json}.
 * Write it last, after the SavedModel export has finished.
 */
public final class ModelBundleWriter {

    private ModelBundleWriter() {
    }

    /**
     * Validates {@code metadata} (its {@code files} are ignored and recomputed), checksums
     * {@code dir/saved_model/**}, writes {@code dir/model.json} atomically and verifies the result
     * by opening it as {@link ModelBundle#open} would.
     *
     * @return the bundle as written, with the checksums filled in
     * @throws ModelBundleException when the SavedModel is missing or the metadata is invalid
     * @throws IOException          when model.json cannot be written
     */
    public static ModelBundle write(Path dir, ModelMetadata metadata) throws IOException {
        Path modelJson = dir.resolve(ModelBundle.MODEL_JSON);
        Path savedModel = dir.resolve(ModelBundle.SAVED_MODEL_DIR);
        if (!Files.isRegularFile(dir.resolve(ModelBundle.SAVED_MODEL_PB))) {
            throw new ModelBundleException(dir.resolve(ModelBundle.SAVED_MODEL_PB),
                    "missing: export the SavedModel into " + savedModel + " before writing the bundle");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String rel : ModelBundle.listFiles(dir, savedModel)) {
            files.put(rel, ModelBundle.sha256(dir.resolve(rel)));
        }
        ModelMetadata complete = metadata.withFiles(Map.copyOf(files));
        ModelJson.validate(complete, modelJson);

        Path tmp = Files.createTempFile(dir, ".model.json.", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                ModelJson.write(complete, nonClosing(out));
                ch.force(true);
            }
            // a temp file is created owner-only (0600); a bundle is read by the service's own user,
            // which need not be the one that trained or copied it, like the SavedModel files beside it
            if (Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, modelJson, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, modelJson, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return ModelBundle.open(dir);
    }

    /** Jackson closes the stream it writes to; the channel must stay open for force(). */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
