package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.classify.ModelBundle;
import org.hematovision.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.SavedModel;

/**
 * With {@code threads = 1} a training run repeats bit for bit: two runs of the whole trainer (cache,
 * head, fine-tuning with dropout and a decayed rate) on a few real PBC cells in separate work folders
 * end with identical weights and checkpoint files. The model card's reproduction figures rest on this.
 */
class TrainerRepeatabilityTest {

    private static final int TRAIN_PER_CLASS = 3;
    private static final int VAL_PER_CLASS = 2;

    @TempDir
    Path tmp;

    @Test
    void aSingleThreadedRunRepeatsBitForBit() throws IOException {
        Path data = smallData();
        Path pretrained = pretrained();

        Trainer.Outcome first = train(data, pretrained, tmp.resolve("run1"));
        Trainer.Outcome second = train(data, pretrained, tmp.resolve("run2"));

        Map<String, NetParams.Param> a = first.params().all();
        Map<String, NetParams.Param> b = second.params().all();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).values(), b.get(key).values(), 0f, key);
        }
        assertEquals(first.valBalancedAccuracy(), second.valBalancedAccuracy(), 0.0);
        String ckpt = "ckpt-s96-b15-v1-seed7/epoch-2.params";
        assertArrayEquals(Files.readAllBytes(tmp.resolve("run1").resolve(ckpt)),
                Files.readAllBytes(tmp.resolve("run2").resolve(ckpt)));
        // the new head's bias starts at zero; that it moved shows the runs did train
        assertFalse(java.util.Arrays.equals(new float[a.get("head/b").values().length], a.get("head/b").values()));

        // the exported SavedModels are byte-identical too, and in protobuf's canonical form (sorted map
        // entries), which TF's exporter alone does not give: its attribute-map order changes between processes
        Path pb1 = export(first, tmp.resolve("bundle1"));
        Path pb2 = export(second, tmp.resolve("bundle2"));
        byte[] bytes = Files.readAllBytes(pb1);
        assertArrayEquals(bytes, BundleExporter.canonicalBytes(SavedModel.parseFrom(bytes)), "saved_model.pb is not canonical");
        assertArrayEquals(bytes, Files.readAllBytes(pb2));
    }

    private static Path export(Trainer.Outcome outcome, Path dir) throws IOException {
        BundleExporter.exportSavedModel(outcome.model(), outcome.params(), 96, MobileNetV2Graph.Mode.INT8, dir);
        return dir.resolve(ModelBundle.SAVED_MODEL_DIR).resolve(BundleExporter.SAVED_MODEL_PB);
    }

    @Test
    void resumeStartsFromTheEpochTheStateNamesEvenWhenLastParamsIsAhead() throws IOException {
        Path data = smallData();
        Path pretrained = pretrained();
        Path work = tmp.resolve("run");
        train(data, pretrained, work);
        Path ckpt = work.resolve("ckpt-s96-b15-v1-seed7");
        byte[] epoch1 = Files.readAllBytes(ckpt.resolve("epoch-1.params"));
        byte[] epoch2 = Files.readAllBytes(ckpt.resolve("epoch-2.params"));
        java.util.Properties st = new java.util.Properties();
        try (var in = Files.newBufferedReader(ckpt.resolve("state.properties"))) {
            st.load(in);
        }
        st.setProperty("epoch", "1");
        st.setProperty("bestEpoch", "1");

        // killed after epoch 2's parameter files were written but before its state: last/best are ahead
        writeState(ckpt, st);
        Files.write(ckpt.resolve("last.params"), epoch2);
        Files.write(ckpt.resolve("best.params"), epoch2);
        Trainer.Outcome ahead = new Trainer(resumeConfig(data, pretrained, work), line -> { }).run();

        // killed right after epoch 1's state: everything consistent
        writeState(ckpt, st);
        Files.write(ckpt.resolve("last.params"), epoch1);
        Files.write(ckpt.resolve("best.params"), epoch1);
        Files.delete(ckpt.resolve("epoch-2.params"));
        Trainer.Outcome clean = new Trainer(resumeConfig(data, pretrained, work), line -> { }).run();

        for (String key : clean.params().all().keySet()) {
            assertArrayEquals(clean.params().all().get(key).values(), ahead.params().all().get(key).values(), 0f, key);
        }
        assertEquals(clean.valBalancedAccuracy(), ahead.valBalancedAccuracy(), 0.0);
    }

    @Test
    void aResumeInMidPhaseRunsThePhaseAgainAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        Path data = smallData();
        Path pretrained = pretrained();
        Path work = tmp.resolve("midphase");
        // 4 epochs: rate phases 1-2, 3, 4
        Trainer.Outcome whole = new Trainer(fourEpochs(data, pretrained, work, false, 1e-3f), line -> { }).run();
        Path ckpt = work.resolve("ckpt-s96-b15-v1-seed7");
        java.util.Properties st = new java.util.Properties();
        try (var in = Files.newBufferedReader(ckpt.resolve("state.properties"))) {
            st.load(in);
        }
        st.setProperty("epoch", "1"); // killed after epoch 1, in the middle of the first phase
        st.setProperty("bestEpoch", "1");
        st.setProperty("bestVal", st.getProperty("val.1"));
        writeState(ckpt, st);
        List<String> log = new ArrayList<>();
        Trainer.Outcome resumed = new Trainer(fourEpochs(data, pretrained, work, true, 1e-3f), log::add).run();
        assertTrue(log.stream().anyMatch(l -> l.contains("running epochs 1..1 again")), log.toString());
        for (String key : whole.params().all().keySet()) {
            assertArrayEquals(whole.params().all().get(key).values(), resumed.params().all().get(key).values(), 0f, key);
        }
        assertEquals(whole.valBalancedAccuracy(), resumed.valBalancedAccuracy(), 0.0);

        // another learning rate cannot continue these checkpoints
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fourEpochs(data, pretrained, work, true, 2e-3f), line -> { }).run());
        assertTrue(e.getMessage().contains("--learning-rate 0.001, not 0.002"), e.getMessage());

        // a new run in the same folder starts by removing the old run's checkpoints
        new Trainer(new TrainConfig(data, pretrained, work.resolve("bundle"), work, 96, 1, 2, 0, 8, 1e-3f, 7L, 15,
                TrainConfig.Weights.BEST, false, 1, Map.of()), line -> { }).run();
        assertFalse(Files.exists(ckpt.resolve("state.properties")));
        try (var left = Files.list(ckpt)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".params")).toList());
        }
    }

    private static TrainConfig fourEpochs(Path data, Path pretrained, Path work, boolean resume, float rate) {
        return new TrainConfig(data, pretrained, work.resolve("bundle"), work, 96, 1, 2, 4, 8, rate, 7L, 15,
                TrainConfig.Weights.BEST, resume, 1, Map.of());
    }

    private static void writeState(Path ckpt, java.util.Properties st) throws IOException {
        try (var out = Files.newBufferedWriter(ckpt.resolve("state.properties"))) {
            st.store(out, null);
        }
    }

    private static TrainConfig resumeConfig(Path data, Path pretrained, Path work) {
        return new TrainConfig(data, pretrained, work.resolve("bundle"), work, 96, 1, 2, 2, 8, 1e-3f, 7L, 15,
                TrainConfig.Weights.BEST, true, 1, Map.of());
    }

    @Test
    void threadsOutsideTheRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(tmp, tmp, tmp, -1));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(tmp, tmp, tmp, TrainConfig.MAX_THREADS + 1));
        assertEquals(0, config(tmp, tmp, tmp, 0).threads());
    }

    private static Trainer.Outcome train(Path data, Path pretrained, Path work) throws IOException {
        return new Trainer(config(data, pretrained, work, 1), line -> { }).run();
    }

    /** 96-px input, block 15 onwards fine-tuned for two epochs (the second at a decayed rate). */
    private static TrainConfig config(Path data, Path pretrained, Path work, int threads) {
        return new TrainConfig(data, pretrained, work.resolve("bundle"), work, 96, 1, 2, 2, 8, 1e-3f, 7L, 15,
                TrainConfig.Weights.BEST, false, threads, Map.of());
    }

    /** The small manifest below, in this test's folder (skips visibly without ../shared/data). */
    private Path smallData() throws IOException {
        return smallManifest(TestData.assumeShared().resolve("pbc"), tmp.resolve("pbc"));
    }

    private static Path pretrained() {
        return TestData.assumeShared().resolve("pretrained/mobilenet_v2_1.0_224_quant.tflite");
    }

    /** A manifest with the first few train and val cells of each class, pointing at the shared images. */
    private static Path smallManifest(Path pbc, Path dir) throws IOException {
        List<String> lines = Files.readAllLines(pbc.resolve("manifest.csv"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        Map<String, Integer> taken = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int limit = switch (f[3]) {
                case "train" -> TRAIN_PER_CLASS;
                case "val" -> VAL_PER_CLASS;
                default -> 0;
            };
            if (taken.merge(f[1] + "/" + f[3], 1, Integer::sum) <= limit) {
                out.add(pbc.resolve(f[0]).toAbsolutePath() + "," + f[1] + "," + f[2] + "," + f[3]);
            }
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("manifest.csv"), out, StandardCharsets.UTF_8);
        return dir;
    }
}
