package org.hematovision.eval.segmentation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BCCD fields (Pascal VOC layout: {@code JPEGImages/}, {@code Annotations/}, {@code ImageSets/Main/}). */
public final class BccdDataset {

    /** Fields whose white cells are not (all) annotated, or whose "WBC" box is something else (data README). */
    public static final Set<String> UNANNOTATED_WHITE_CELLS = Set.of("BloodImage_00133", "BloodImage_00135",
            "BloodImage_00171", "BloodImage_00178", "BloodImage_00228", "BloodImage_00327", "BloodImage_00242");
    public static final Set<String> PLATELET_LABELLED_WBC = Set.of("BloodImage_00113");

    /** One annotated box; {@code label} is WBC, RBC or Platelets as in the XML. */
    public record TruthBox(String label, Box box) {
    }

    /** One field with its annotation. */
    public record FieldTruth(String id, Path image, List<TruthBox> boxes) {

        public List<Box> boxes(String label) {
            return boxes.stream().filter(b -> b.label().equals(label)).map(TruthBox::box).toList();
        }

        public BgrImage load() {
            try {
                var img = ImageIO.read(image.toFile());
                if (img == null) {
                    throw new IOException("not a readable image");
                }
                return BgrImage.fromBufferedImage(img);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read BCCD image " + image + ": " + e.getMessage(), e);
            }
        }
    }

    private BccdDataset() {
    }

    /** The fields of {@code split} ("test", "train", "val", "trainval") or, for "all", every annotated field. */
    public static List<FieldTruth> load(Path root, String split) throws IOException {
        Path ann = root.resolve("Annotations");
        if (!Files.isDirectory(ann) || !Files.isDirectory(root.resolve("JPEGImages"))) {
            throw new IOException("not a BCCD folder (needs Annotations/ and JPEGImages/): " + root);
        }
        Set<String> ids = new TreeSet<>();
        if (split.equals("all")) {
            try (var s = Files.list(ann)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                        .forEach(n -> ids.add(n.substring(0, n.length() - 4)));
            }
        } else {
            Path list = root.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
            if (!Files.isRegularFile(list)) {
                throw new IOException("no split list " + list + " (allowed splits: all, test, train, val, trainval)");
            }
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank()) {
                    ids.add(line.trim());
                }
            }
        }
        List<FieldTruth> out = new ArrayList<>();
        for (String id : ids) {
            Path xml = ann.resolve(id + ".xml");
            Path jpg = root.resolve("JPEGImages").resolve(id + ".jpg");
            if (Files.isRegularFile(xml) && Files.isRegularFile(jpg)) {
                out.add(new FieldTruth(id, jpg, parse(xml)));
            }
        }
        return out;
    }

    static List<TruthBox> parse(Path xml) throws IOException {
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
            NodeList objects = doc.getElementsByTagName("object");
            List<TruthBox> out = new ArrayList<>();
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                String name = text(o, "name");
                Element bb = (Element) o.getElementsByTagName("bndbox").item(0);
                int x0 = (int) Math.round(Double.parseDouble(text(bb, "xmin")));
                int y0 = (int) Math.round(Double.parseDouble(text(bb, "ymin")));
                int x1 = (int) Math.round(Double.parseDouble(text(bb, "xmax")));
                int y1 = (int) Math.round(Double.parseDouble(text(bb, "ymax")));
                out.add(new TruthBox(name, Box.ofCorners(x0, y0, x1, y1)));
            }
            return out;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot parse annotation " + xml + ": " + e.getMessage(), e);
        }
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
