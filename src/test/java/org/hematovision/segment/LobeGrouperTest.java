package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;
import org.hematovision.image.Box;
import org.junit.jupiter.api.Test;

class LobeGrouperTest {

    @Test
    void joinedLobesWithinOneCellWidthStayOneNucleus() {
        List<LobeGrouper.Nucleus> n = LobeGrouper.group(List.of(
                new LobeGrouper.Lobe(new Box(0, 0, 20, 20), 300, 3000, 1),
                new LobeGrouper.Lobe(new Box(25, 0, 20, 20), 300, 3000, 1),
                new LobeGrouper.Lobe(new Box(50, 5, 20, 20), 300, 3000, 1)), 10, 100);
        assertEquals(1, n.size());
        assertEquals(new Box(0, 0, 70, 25), n.get(0).box());
        assertEquals(900, n.get(0).area());
    }

    @Test
    void groupWiderThanOneCellIsSplitAtItsWidestGap() {
        // Two nuclei joined by dilation: a round one (0..60) and a two-lobed one (68..98, 106..136).
        List<LobeGrouper.Nucleus> n = LobeGrouper.group(List.of(
                new LobeGrouper.Lobe(new Box(0, 0, 60, 60), 2800, 1, 7),
                new LobeGrouper.Lobe(new Box(68, 10, 30, 30), 700, 1, 7),
                new LobeGrouper.Lobe(new Box(104, 10, 32, 30), 700, 1, 7)), 10, 80);
        assertEquals(2, n.size());
        List<Box> boxes = n.stream().map(LobeGrouper.Nucleus::box).sorted(Comparator.comparingInt(Box::x)).toList();
        assertEquals(new Box(0, 0, 60, 60), boxes.get(0));
        assertEquals(new Box(68, 10, 68, 30), boxes.get(1));
    }

    @Test
    void separateGroupsStaySeparate() {
        assertEquals(2, LobeGrouper.group(List.of(
                new LobeGrouper.Lobe(new Box(0, 0, 20, 20), 300, 1, 1),
                new LobeGrouper.Lobe(new Box(22, 0, 20, 20), 300, 1, 2)), 10, 100).size());
    }
}
