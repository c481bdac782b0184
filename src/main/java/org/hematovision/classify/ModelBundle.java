package org.hematovision.classify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A verified model bundle on disk (format 1): {@code DIR/model.json} plus a TensorFlow SavedModel
 * in {@code DIR/saved_model/} whose every file is listed in {@code model.json} with its SHA-256.
 *
 * <p>{@link #open} checks everything that can be checked without TensorFlow, so a broken or
 * half-copied bundle is refused with a message naming the file before any native code runs.
 * The value holds no native resource.
 *
 * @param dir        the bundle directory
 * @param metadata   the validated contents of {@code model.json}
 */
public record ModelBundle(Path dir, ModelMetadata metadata) {

    public static final String MODEL_JSON = "model.json";
    public static final String SAVED_MODEL_DIR = "saved_model";
    public static final String SAVED_MODEL_PB = SAVED_MODEL_DIR + "/saved_model.pb";
    /** The SavedModel tag set, signature and tensor names the runner relies on. */
    public static final String TAG = "serve";
    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "image";
    public static final String OUTPUT = "probabilities";

    public Path savedModelDir() {
        return dir.resolve(SAVED_MODEL_DIR);
    }

    /**
     * Reads and validates {@code model.json}, then checks that {@code saved_model/} exists, that
     * every file it holds is listed, and that every listed file exists with its recorded SHA-256.
     *
     * @throws ModelBundleException naming the file and the problem
     */
    public static ModelBundle open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelBundleException(dir, Files.exists(dir) ? "not a directory (a model bundle is a directory)"
                    : "model bundle directory not found");
        }
        ModelMetadata metadata = ModelJson.read(dir.resolve(MODEL_JSON));
        Path savedModel = dir.resolve(SAVED_MODEL_DIR);
        if (!Files.isDirectory(savedModel)) {
            throw new ModelBundleException(savedModel, "missing: the bundle has no SavedModel directory, reinstall it");
        }
        if (!metadata.files().containsKey(SAVED_MODEL_PB)) {
            throw new ModelBundleException(dir.resolve(MODEL_JSON), "field 'files' does not list " + SAVED_MODEL_PB);
        }
        // An unlisted file means the SavedModel was changed after model.json was written.
        for (String rel : listFiles(dir, savedModel)) {
            if (!metadata.files().containsKey(rel)) {
                throw new ModelBundleException(dir.resolve(rel),
                        "not listed in model.json 'files': the SavedModel changed after the bundle was written, reinstall it");
            }
        }
        metadata.files().forEach((rel, expected) -> {
            Path file = dir.resolve(rel);
            if (!Files.isRegularFile(file)) {
                throw new ModelBundleException(file, "missing: the bundle is incomplete, reinstall it");
            }
            String actual = sha256(file);
            if (!actual.equals(expected)) {
                throw new ModelBundleException(file, "checksum mismatch (expected " + expected + ", got " + actual
                        + "): the bundle is corrupt, reinstall it");
            }
        });
        return new ModelBundle(dir, metadata);
    }

    /** Regular files under {@code root}, as sorted '/'-separated paths relative to {@code base}. */
    static List<String> listFiles(Path base, Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> base.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ModelBundleException(root, "cannot be listed: " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ModelBundleException(file, "cannot be read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
