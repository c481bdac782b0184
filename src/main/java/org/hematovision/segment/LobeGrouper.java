package org.hematovision.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.image.Box;

/**
 * Groups nucleus lobes into nuclei. Lobes already joined by the dilation (closer than the lobe gap) form one
 * nucleus unless that nucleus would be wider than one white cell can be; then the group is two touching cells
 * and is rebuilt by merging its closest lobes first while the merged extent stays within the limit.
 */
final class LobeGrouper {

    /** One connected stained component; {@code group} is its label after dilation. */
    record Lobe(Box box, int area, long stainSum, int group) {
    }

    /** A nucleus: the lobes' joint box, total area and stain sum. */
    record Nucleus(Box box, int area, long stainSum) {
    }

    private LobeGrouper() {
    }

    static List<Nucleus> group(List<Lobe> lobes, int maxGapPx, int maxExtentPx) {
        Map<Integer, List<Lobe>> byGroup = new LinkedHashMap<>();
        for (Lobe l : lobes) {
            byGroup.computeIfAbsent(l.group(), g -> new ArrayList<>()).add(l);
        }
        List<Nucleus> out = new ArrayList<>();
        for (List<Lobe> g : byGroup.values()) {
            List<Nucleus> parts = new ArrayList<>();
            for (Lobe l : g) {
                parts.add(new Nucleus(l.box(), l.area(), l.stainSum()));
            }
            Nucleus all = parts.stream().reduce(LobeGrouper::merge).orElseThrow();
            if (extent(all.box()) <= maxExtentPx || parts.size() > MAX_LOBES_TO_SPLIT) {
                out.add(all);
                continue;
            }
            mergeClosest(parts, maxGapPx, maxExtentPx);
            out.addAll(parts);
        }
        return out;
    }

    /** Beyond this many pieces a group is debris or a smudge, not two cells: left whole (and rejected by size). */
    private static final int MAX_LOBES_TO_SPLIT = 40;

    private static void mergeClosest(List<Nucleus> parts, int maxGapPx, int maxExtentPx) {
        while (true) {
            int bi = -1;
            int bj = -1;
            int best = Integer.MAX_VALUE;
            for (int i = 0; i < parts.size(); i++) {
                for (int j = i + 1; j < parts.size(); j++) {
                    int gap = gap(parts.get(i).box(), parts.get(j).box());
                    if (gap <= maxGapPx && gap < best
                            && extent(union(parts.get(i).box(), parts.get(j).box())) <= maxExtentPx) {
                        best = gap;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) {
                return;
            }
            Nucleus m = merge(parts.get(bi), parts.get(bj));
            parts.remove(bj);
            parts.set(bi, m);
        }
    }

    static int gap(Box a, Box b) {
        int dx = Math.max(0, Math.max(a.x() - b.right(), b.x() - a.right()));
        int dy = Math.max(0, Math.max(a.y() - b.bottom(), b.y() - a.bottom()));
        return Math.max(dx, dy);
    }

    private static int extent(Box b) {
        return Math.max(b.width(), b.height());
    }

    private static Box union(Box a, Box b) {
        return Box.ofCorners(Math.min(a.x(), b.x()), Math.min(a.y(), b.y()), Math.max(a.right(), b.right()),
                Math.max(a.bottom(), b.bottom()));
    }

    private static Nucleus merge(Nucleus a, Nucleus b) {
        return new Nucleus(union(a.box(), b.box()), a.area() + b.area(), a.stainSum() + b.stainSum());
    }
}
