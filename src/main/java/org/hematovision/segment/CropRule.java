package org.hematovision.segment;

import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;

/**
 * The crop rule shared with the classifier's training (do not change one side without the other):
 * a square centred on the centre of the white-cell box, of side
 * <ul>
 *   <li>{@value #SIDE_PER_RED_CELL} x the field's red-cell diameter in pixels (about 33 um, the field of view of a
 *       PBC single-cell image) when the scale is known, else</li>
 *   <li>{@value #SIDE_PER_BOX} x max(box width, box height);</li>
 * </ul>
 * pixels outside the field are filled by replicating the nearest border pixel. The crop stays at field
 * resolution; the classifier resizes it.
 */
public final class CropRule {

    public static final double SIDE_PER_RED_CELL = 4.4;
    public static final double SIDE_PER_BOX = 2.5;

    private CropRule() {
    }

    /** Side of the square crop in pixels; {@code redCellDiameterPx} is NaN when the scale is unknown. */
    public static int side(Box box, double redCellDiameterPx) {
        double side = Double.isFinite(redCellDiameterPx) && redCellDiameterPx > 0
                ? SIDE_PER_RED_CELL * redCellDiameterPx
                : SIDE_PER_BOX * Math.max(box.width(), box.height());
        return Math.max(1, (int) Math.round(side));
    }

    /** The square (in field coordinates, possibly reaching outside the field) that {@link #cut} copies. */
    public static Box square(Box box, double redCellDiameterPx) {
        int side = side(box, redCellDiameterPx);
        int x0 = (int) Math.round(box.centerX() - side / 2.0);
        int y0 = (int) Math.round(box.centerY() - side / 2.0);
        return new Box(x0, y0, side, side);
    }

    /** Cuts the crop of {@code box} out of {@code field}, replicating border pixels where it reaches outside. */
    public static BgrImage cut(BgrImage field, Box box, double redCellDiameterPx) {
        Box sq = square(box, redCellDiameterPx);
        int side = sq.width();
        int w = field.width();
        int h = field.height();
        byte[] src = field.pixels();
        byte[] out = new byte[side * side * 3];
        for (int row = 0; row < side; row++) {
            int sy = Math.min(h - 1, Math.max(0, sq.y() + row));
            int rowBase = sy * w;
            int x = sq.x();
            int o = row * side * 3;
            // Copy the in-field run in one go; replicate the edge pixel on either side of it.
            int inStart = Math.max(0, Math.min(side, -x));
            int inEnd = Math.max(inStart, Math.min(side, w - x));
            for (int col = 0; col < inStart; col++) {
                System.arraycopy(src, rowBase * 3, out, o + col * 3, 3);
            }
            if (inEnd > inStart) {
                System.arraycopy(src, (rowBase + x + inStart) * 3, out, o + inStart * 3, (inEnd - inStart) * 3);
            }
            for (int col = inEnd; col < side; col++) {
                System.arraycopy(src, (rowBase + w - 1) * 3, out, o + col * 3, 3);
            }
        }
        return new BgrImage(side, side, out);
    }
}
