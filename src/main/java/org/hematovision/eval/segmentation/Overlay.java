package org.hematovision.eval.segmentation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;

/** PNG overlays: truth white-cell boxes green, found ones magenta (dashed when unmatched). */
public final class Overlay {

    private Overlay() {
    }

    public static void write(BgrImage image, SegmentationEvaluation.FieldResult r, List<Box> platelets,
                             List<Box> rejected, Path png) throws IOException {
        BufferedImage img = image.toBufferedImage();
        Graphics2D g = img.createGraphics();
        try {
            boolean[] mf = new boolean[r.foundWbc().size()];
            r.matches().forEach(m -> mf[m.found()] = true);
            g.setStroke(new BasicStroke(3));
            g.setColor(Color.GREEN);
            r.truthWbc().forEach(b -> g.drawRect(b.x(), b.y(), b.width(), b.height()));
            for (int i = 0; i < mf.length; i++) {
                Box b = r.foundWbc().get(i);
                g.setColor(mf[i] ? Color.MAGENTA : Color.RED);
                g.setStroke(mf[i] ? new BasicStroke(2) : new BasicStroke(2, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
                g.drawRect(b.x(), b.y(), b.width(), b.height());
            }
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.CYAN);
            platelets.forEach(b -> g.drawRect(b.x(), b.y(), b.width(), b.height()));
            g.setColor(Color.ORANGE);
            rejected.forEach(b -> g.drawRect(b.x(), b.y(), b.width(), b.height()));
            g.setColor(Color.BLACK);
            g.drawString(r.id() + "  missed " + r.missed() + "  false " + r.falsePositives(), 6, 14);
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", png.toFile());
    }
}
