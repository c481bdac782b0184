package org.hematovision.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PBC {@code manifest.csv} ({@code path,class,subtype,split}): one entry per image, paths resolved
 * against the data folder, labels checked against the model's label list.
 */
public final class PbcManifest {

    /** The eight PBC classes in the model's output order. */
    public static final List<String> LABELS = List.of(
            "basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet");

    /** One image: {@code label} is the index in {@link #LABELS}. */
    public record Entry(Path path, int label, String split) {
    }

    private PbcManifest() {
    }

    public static List<Entry> read(Path dataDir, String split) throws IOException {
        Path csv = dataDir.resolve("manifest.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IOException("no manifest.csv in " + dataDir + " (expected the PBC folder, e.g. ../shared/data/pbc)");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals("path,class,subtype,split")) {
            throw new IOException(csv + ": expected header path,class,subtype,split");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 4) {
                throw new IOException(csv + " line " + (i + 1) + ": expected 4 fields, got " + f.length);
            }
            int label = LABELS.indexOf(f[1]);
            if (label < 0) {
                throw new IOException(csv + " line " + (i + 1) + ": unknown class " + f[1] + " (known: " + LABELS + ")");
            }
            if (split == null || split.equals(f[3])) {
                out.add(new Entry(dataDir.resolve(f[0]), label, f[3]));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(csv + ": no images in split " + split);
        }
        return out;
    }
}
