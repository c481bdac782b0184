package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tail-average of fine-tuned weights: which epochs, and the element-wise mean of their checkpoints. */
class TailAverageTest {

    @TempDir
    Path tmp;

    @Test
    void theTailIsTheEpochsAtADecayedLearningRate() {
        assertEquals(List.of(5, 6, 7, 8), Trainer.tailEpochs(8));
        assertEquals(List.of(4, 5, 6), Trainer.tailEpochs(6));
        assertEquals(List.of(2), Trainer.tailEpochs(2));
        assertEquals(List.of(), Trainer.tailEpochs(1));
        for (int e : Trainer.tailEpochs(8)) {
            assertTrue(Trainer.learningRate(2e-4f, e, 8) < 2e-4f);
        }
    }

    @Test
    void averageIsTheElementWiseMeanOfTheCheckpoints() throws IOException {
        long[] shape = {2, 2};
        Path[] files = new Path[3];
        float[][] w = {{1, 2, 3, 4}, {3, 2, 1, 0}, {2, 2, 2, -1}};
        for (int k = 0; k < 3; k++) {
            NetParams p = new NetParams();
            p.put("op40/w", shape, w[k]);
            p.put("head/b", new long[] {1}, new float[] {k});
            files[k] = tmp.resolve("epoch-" + k + ".params");
            NetParamsIo.write(files[k], p, List.of("op40/w", "head/b"));
        }
        NetParams target = new NetParams();
        target.put("op40/w", shape, new float[4]);
        target.put("head/b", new long[] {1}, new float[1]);
        target.put("op3/w", new long[] {1}, new float[] {7}); // frozen: not in the checkpoints, untouched
        Trainer.average(List.of(files), target);
        assertArrayEquals(new float[] {2, 2, 2, 1}, target.get("op40/w").values(), 1e-6f);
        assertArrayEquals(new float[] {1}, target.get("head/b").values(), 1e-6f);
        assertArrayEquals(new long[] {2, 2}, target.get("op40/w").shape());
        assertArrayEquals(new float[] {7}, target.get("op3/w").values());
    }

    @Test
    void aMissingCheckpointIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> Trainer.average(List.of(tmp.resolve("epoch-5.params")), new NetParams()));
        assertTrue(e.getMessage().contains("epoch-5.params"), e.getMessage());
    }
}
