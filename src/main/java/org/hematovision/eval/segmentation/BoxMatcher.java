package org.hematovision.eval.segmentation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hematovision.image.Box;

/** One-to-one matching of found boxes to truth boxes, greedily by decreasing IoU, pairs below a minimum IoU left out. */
public final class BoxMatcher {

    /** Truth index, found index and their IoU. */
    public record Match(int truth, int found, double iou) {
    }

    private BoxMatcher() {
    }

    public static List<Match> match(List<Box> truth, List<Box> found, double minIou) {
        List<Match> candidates = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            for (int f = 0; f < found.size(); f++) {
                double iou = truth.get(t).iou(found.get(f));
                if (iou >= minIou) {
                    candidates.add(new Match(t, f, iou));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Match::iou).reversed());
        boolean[] usedT = new boolean[truth.size()];
        boolean[] usedF = new boolean[found.size()];
        List<Match> out = new ArrayList<>();
        for (Match m : candidates) {
            if (!usedT[m.truth()] && !usedF[m.found()]) {
                usedT[m.truth()] = true;
                usedF[m.found()] = true;
                out.add(m);
            }
        }
        return out;
    }
}
