package org.hematovision.classify;

import java.util.ArrayList;
import java.util.List;
import org.hematovision.image.BgrImage;
import org.tinylog.Logger;

/**
 * {@link CellClassifier} running a bundle's SavedModel with TensorFlow Java: all crops of a field
 * go through the network in batches of at most {@code inference.maxBatch}. Preprocessing ({@link CellPreprocessor}) and decoding
 * ({@link PredictionDecoder}) are the bundle's; this class only moves plain arrays to and from the
 * native session, which is released by {@link #close()}.
 */
public final class TfCellClassifier implements CellClassifier {

    private final ModelBundle bundle;
    private final CellPreprocessor preprocessor;
    private final PredictionDecoder decoder;
    private final SavedModelRunner runner;
    private final int maxBatch;

    private TfCellClassifier(ModelBundle bundle, SavedModelRunner runner, int maxBatch) {
        this.bundle = bundle;
        this.maxBatch = maxBatch;
        this.preprocessor = new CellPreprocessor(bundle.metadata());
        this.decoder = new PredictionDecoder(bundle.metadata());
        this.runner = runner;
    }

    /**
     * Verifies the bundle at {@code config.model()} and loads it on the configured device.
     *
     * @throws ModelBundleException                          when the bundle is missing, corrupt or not loadable
     * @throws org.hematovision.config.ConfigException when {@code gpu} is required and absent
     */
    public static TfCellClassifier open(InferenceConfig config) {
        ModelBundle bundle = ModelBundle.open(config.model());
        SavedModelRunner runner = SavedModelRunner.load(bundle, config);
        ModelMetadata m = bundle.metadata();
        Logger.info("model {} {} loaded from {} on {} ({} classes, input {}x{})", m.name(), m.version(), bundle.dir(),
                runner.onGpu() ? "GPU" : "CPU", m.labels().size(), m.inputWidth(), m.inputHeight());
        return new TfCellClassifier(bundle, runner, config.maxBatch());
    }

    @Override
    public List<Prediction> classify(List<BgrImage> crops) {
        runner.checkOpen();
        if (crops.isEmpty()) {
            return List.of();
        }
        if (crops.size() <= maxBatch) {
            return runBatch(crops);
        }
        List<Prediction> all = new ArrayList<>(crops.size());
        for (int from = 0; from < crops.size(); from += maxBatch) {
            all.addAll(runBatch(crops.subList(from, Math.min(crops.size(), from + maxBatch))));
        }
        return List.copyOf(all);
    }

    private List<Prediction> runBatch(List<BgrImage> crops) {
        float[] batch = preprocessor.batch(crops);
        float[][] rows = runner.run(batch, crops.size(), preprocessor.height(), preprocessor.width());
        return decoder.decode(rows);
    }

    @Override
    public ModelMetadata metadata() {
        return bundle.metadata();
    }

    /** The verified bundle this classifier runs. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** True when TensorFlow runs the network on a GPU. */
    public boolean onGpu() {
        return runner.onGpu();
    }

    @Override
    public void close() {
        runner.close();
    }
}
