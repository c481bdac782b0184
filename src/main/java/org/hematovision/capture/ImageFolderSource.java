package org.hematovision.capture;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;
import org.tinylog.Logger;

/**
 * Still images in a folder ({@code images:DIR}), one field each, in file-name order. A file that cannot
 * be decoded is logged with its name, counted in {@link #unreadableCount()} and skipped.
 */
public final class ImageFolderSource implements FrameSource {

    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff");

    private final Path directory;
    private final List<Path> files;
    private int position;
    private long index;
    private int unreadable;

    private ImageFolderSource(Path directory, List<Path> files) {
        this.directory = directory;
        this.files = files;
    }

    public static ImageFolderSource open(Path directory) throws CaptureException {
        if (!Files.isDirectory(directory)) {
            throw new CaptureException("image folder " + directory + " not found or not a folder: check --source images:DIR");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
        } catch (IOException e) {
            throw new CaptureException("cannot list image folder " + directory + ": check its permissions", e);
        }
        if (files.isEmpty()) {
            Logger.warn("image folder {} holds no .jpg/.jpeg/.png/.bmp/.tif files", directory);
        }
        return new ImageFolderSource(directory, files);
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<Frame> next() {
        while (position < files.size()) {
            Path file = files.get(position++);
            Optional<BgrImage> image = read(file);
            if (image.isPresent()) {
                long i = index++;
                // Stills have no capture time; their position keeps timestamps monotonic.
                return Optional.of(new Frame(i, i, image.get()));
            }
            unreadable++;
        }
        return Optional.empty();
    }

    private static Optional<BgrImage> read(Path file) {
        // OpenCV reads all listed formats incl. TIFF; ImageIO is the fallback for odd encodings.
        try (Mat mat = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR)) {
            if (mat != null && !mat.empty()) {
                return Optional.of(ImageMats.fromMat(mat));
            }
        }
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img != null) {
                return Optional.of(BgrImage.fromBufferedImage(img));
            }
        } catch (IOException | RuntimeException e) {
            Logger.debug("ImageIO could not read {}: {}", file, e.getMessage());
        }
        Logger.warn("skipping image {}: it cannot be decoded (damaged or not really an image?)", file);
        return Optional.empty();
    }

    /** Files skipped so far because they could not be decoded. */
    public int unreadableCount() {
        return unreadable;
    }

    /** The image files found, in the order they are delivered. */
    public List<Path> files() {
        return files;
    }

    @Override
    public boolean framesAreFields() {
        return true;
    }

    @Override
    public String description() {
        return "images:" + directory + " (" + files.size() + " files)";
    }

    @Override
    public void close() {
        position = files.size();
    }
}
