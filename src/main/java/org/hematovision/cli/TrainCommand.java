package org.hematovision.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hematovision.train.BundleExporter;
import org.hematovision.train.BundleFinisher;
import org.hematovision.train.MobileNetV2Graph;
import org.hematovision.train.TrainConfig;
import org.hematovision.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the white-cell classifier from the ImageNet MobileNetV2 TFLite weights on PBC and writes the
 * int8 bundle (plus a float bundle for comparison in the work folder).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Transfer-learn MobileNetV2 on PBC (train split, selected on val) and export the int8 model bundle.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "PBC folder with manifest.csv")
    Path data;

    @Option(names = "--pretrained", required = true, paramLabel = "FILE", description = "mobilenet_v2_1.0_224_quant.tflite")
    Path pretrained;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "bundle directory to write")
    Path out;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "caches and checkpoints, outside the repository (default: ${DEFAULT-VALUE})")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "hematovision-train");

    @Option(names = "--input-size", paramLabel = "S", description = "network input S x S (default: ${DEFAULT-VALUE})")
    int inputSize = TrainConfig.DEFAULT_INPUT_SIZE;

    @Option(names = "--variants", paramLabel = "K", description = "augmented copies cached per training image (default: ${DEFAULT-VALUE})")
    int variants = TrainConfig.DEFAULT_VARIANTS;

    @Option(names = "--head-epochs", paramLabel = "N", description = "epochs of the new head alone (default: ${DEFAULT-VALUE})")
    int headEpochs = TrainConfig.DEFAULT_HEAD_EPOCHS;

    @Option(names = "--epochs", paramLabel = "N", description = "fine-tuning epochs over the cached variants (default: ${DEFAULT-VALUE})")
    int epochs = 12;

    @Option(names = "--batch", paramLabel = "N", description = "fine-tuning batch (default: ${DEFAULT-VALUE})")
    int batch = TrainConfig.DEFAULT_BATCH;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate of fine-tuning (default: ${DEFAULT-VALUE})")
    float learningRate = TrainConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--seed", paramLabel = "N", description = "seed of augmentation, shuffling and initialisation (default: ${DEFAULT-VALUE})")
    long seed = TrainConfig.DEFAULT_SEED;

    @Option(names = "--cut-block", paramLabel = "N", description = "first fine-tuned block expanded_conv_N (default: ${DEFAULT-VALUE})")
    int cutBlock = TrainConfig.DEFAULT_CUT_BLOCK;

    @Option(names = "--weights", paramLabel = "W", description = "weights to keep: ${COMPLETION-CANDIDATES}: the mean of the "
            + "epochs at a decayed learning rate, or the single epoch best on val (default: ${DEFAULT-VALUE})")
    TrainConfig.Weights weights = TrainConfig.Weights.BEST;

    @Option(names = "--model-version", paramLabel = "V", description = "version written to model.json, -int8/-float32 appended (default: ${DEFAULT-VALUE})")
    String modelVersion = "1.5.0";

    @Option(names = "--threads", paramLabel = "N", description = "TensorFlow threads; 1 makes a run repeat bit for bit "
            + "(about half as fast on 2 cores), 0 lets TensorFlow use every core (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--class-weight", paramLabel = "LABEL=W", description = "loss weight of a PBC label (default 1), "
            + "e.g. ig=2; repeatable")
    Map<String, Double> classWeights = new LinkedHashMap<>();

    @Option(names = "--margin", paramLabel = "LABEL=M", description = "logit margin of a PBC label in the training loss "
            + "(default 0): its cells must win by M; LABEL \"all\" sets every label; repeatable, e.g. ig=1")
    Map<String, Double> classMargins = new LinkedHashMap<>();

    @Option(names = "--resume", description = "continue from the work folder's cache and last checkpoint")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = new TrainConfig(data, pretrained, out, workDir, inputSize, variants, headEpochs, epochs, batch,
                learningRate, seed, cutBlock, weights, resume, threads, classWeights, classMargins);
        long t0 = System.nanoTime();
        Trainer.Outcome outcome = new Trainer(cfg, TrainCommand::log).run();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("data", "PBC single-cell images (Acevedo et al., Data in Brief 30 (2020) 105474, CC BY 4.0), "
                + "manifest split=train for training, split=val for selection and review calibration");
        provenance.put("pretrained", "mobilenet_v2_1.0_224_quant.tflite (google-coral/test_data, Apache-2.0), dequantized");
        provenance.put("command", String.format("hematovision train --data %s --pretrained %s --out %s --input-size %d --variants %d "
                        + "--head-epochs %d --epochs %d --batch %d --learning-rate %s --seed %d --cut-block %d --weights %s --threads %d",
                data, pretrained, out, inputSize, variants, headEpochs, epochs, batch, learningRate, seed, cutBlock,
                weights.name().toLowerCase(java.util.Locale.ROOT), threads) + cfg.classWeightOptions() + cfg.classMarginOptions());
        provenance.put("trainedAt", Instant.now().toString());
        provenance.put("weights", outcome.weights());
        Map<String, Object> int8Provenance = new LinkedHashMap<>(provenance);
        int8Provenance.put("quantization", "convolution (1x1 and stem) and head weights int8, symmetric, one scale per "
                + "output channel, stored as uint8 codes (q+128) with float32 scales and dequantized in the graph; "
                + "depthwise filters, biases and arithmetic float32");
        // Exported and calibrated beside --out, then moved in: until the review rule is fitted the bundle's
        // model.json has no review threshold, and a killed run must not leave that where the appliance loads it.
        Path staging = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
        BundleExporter.deleteTree(staging);
        BundleFinisher.Finished f = BundleFinisher.finish(outcome, cfg, MobileNetV2Graph.Mode.INT8, staging,
                modelVersion + "-int8", int8Provenance, null, TrainCommand::log);
        BundleExporter.install(staging, out);
        Path floatDir = workDir.resolve("float-bundle");
        Map<String, Object> floatProvenance = new LinkedHashMap<>(provenance);
        floatProvenance.put("quantization", "none: every weight float32 (the reference for the int8 bundle)");
        BundleFinisher.finish(outcome, cfg, MobileNetV2Graph.Mode.CONSTANT, floatDir, modelVersion + "-float32", floatProvenance,
                f.review(), TrainCommand::log);
        log(String.format("done in %.1f min (training %.1f min); int8 bundle %s (%d bytes), float bundle %s (%d bytes); "
                        + "temperature %.4f, class offsets %s, review below calibrated p=%.4f",
                (System.nanoTime() - t0) / 6e10, outcome.seconds() / 60, out, BundleExporter.sizeOf(out), floatDir,
                BundleExporter.sizeOf(floatDir), f.review().temperature(), BundleFinisher.offsets(f.review().classBias()),
                f.review().minProbability()));
        return 0;
    }

    private static void log(String s) {
        System.out.println(java.time.LocalTime.now().withNano(0) + " " + s);
        System.out.flush();
    }
}
