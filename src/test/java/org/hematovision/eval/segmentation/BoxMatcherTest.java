package org.hematovision.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hematovision.image.Box;
import org.junit.jupiter.api.Test;

class BoxMatcherTest {

    @Test
    void oneToOneByBestIou() {
        Box t0 = new Box(0, 0, 100, 100);
        Box t1 = new Box(200, 0, 100, 100);
        // f0 overlaps t0 best; f1 also overlaps t0 (IoU >= 0.5) but t0 is taken, so f1 stays unmatched.
        Box f0 = new Box(5, 5, 100, 100);
        Box f1 = new Box(20, 0, 100, 100);
        List<BoxMatcher.Match> m = BoxMatcher.match(List.of(t0, t1), List.of(f1, f0), 0.5);
        assertEquals(1, m.size());
        assertEquals(0, m.get(0).truth());
        assertEquals(1, m.get(0).found());
    }

    @Test
    void belowMinimumIouIsNoMatch() {
        assertEquals(0, BoxMatcher.match(List.of(new Box(0, 0, 100, 100)), List.of(new Box(50, 50, 100, 100)), 0.5).size());
    }
}
