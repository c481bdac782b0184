package org.hematovision.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Transfer learning of MobileNetV2 on PBC: (1) the backbone up to block {@code cutBlock} is frozen and
 * its activations are cached for {@code variants} augmented copies of every training image and for the
 * validation images; (2) a new 8-class head is trained on the frozen pooled features; (3) the blocks
 * from {@code cutBlock} on and the head are fine-tuned together on the cached activations; the run
 * keeps either the single epoch with the best validation balanced accuracy or the mean of the
 * weights of the epochs at a decayed learning rate ({@link TrainConfig.Weights}). Checkpoints after
 * every epoch; {@code resume} continues from the last one (and, after the last epoch, only exports).
 *
 * <p>The mean was tried because the best epoch is partly chosen by noise: from one epoch to the next
 * of the low-rate tail the validation balanced accuracy moves by about half a point (six of 1,169
 * validation cells). In two runs it scored below the best epoch on validation (98.72 vs 98.92%,
 * 98.79 vs 98.98%), so the best epoch stays the default (figures in the model card). The backbone's
 * batch norm is folded into the weights, so a mean needs no statistics recomputed.
 *
 * <p>A run is a pure function of its settings: augmentation, shuffling, dropout and initialisation are
 * seeded, the optimizer's ops are ordered ({@link OrderedAdam}), and with {@code threads = 1} no kernel
 * adds partial sums in a thread-dependent order, so two runs write the same bytes
 * ({@code TrainerRepeatabilityTest}).
 */
public final class Trainer {

    private static final int EVAL_BATCH = 64;
    private static final float LABEL_SMOOTHING = 0.05f;
    private static final float DROPOUT_KEEP = 0.8f;

    private final TrainConfig cfg;
    private final Consumer<String> log;

    public Trainer(TrainConfig cfg, Consumer<String> log) {
        this.cfg = cfg;
        this.log = log;
    }

    /**
     * What a run produced: the trained parameters and their validation figures.
     *
     * @param weights which weights {@code params} holds, e.g. "mean of epochs 5-8" or "epoch 5"
     */
    public record Outcome(TfliteModel model, NetParams params, float[] mean, float[] std, String weights,
                          double valBalancedAccuracy, double seconds, Map<String, Object> history) {
    }

    public Outcome run() throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(cfg.workDir());
        TfliteModel model = TfliteModel.read(cfg.pretrained());
        NetParams params = NetParams.fromTflite(model);
        TfliteModel.TensorInfo input = model.tensor(model.inputs()[0]);
        float m = input.zeroPoint() / 255f;
        float s = 1f / (255f * input.scale());
        float[] mean = {m, m, m};
        float[] std = {s, s, s};
        int cut = MobileNetV2Graph.firstOpWithOutput(model, "MobilenetV2/expanded_conv_" + cfg.cutBlock() + "/");
        int pool = MobileNetV2Graph.avgPoolOp(model);
        log.accept(String.format("model: %d operators; frozen 0..%d, fine-tuned %d..%d (+ new head); input %dx%d, mean %.4f std %.4f",
                model.operators().size(), cut - 1, cut, pool, cfg.inputSize(), cfg.inputSize(), m, s));

        CellAugmenter aug = new CellAugmenter(cfg.inputSize(), mean, std);
        String tag = "s" + cfg.inputSize() + "-b" + cfg.cutBlock() + "-v" + cfg.variants() + "-seed" + cfg.seed();
        // The caches hold the images' activations: named by the data too, so that another manifest, data folder
        // or pretrained file never reuses them (a re-split could otherwise train on today's test cells).
        String cacheTag = tag + "-d" + dataIdentity();
        Path trainCacheFile = cfg.workDir().resolve("train-" + cacheTag + ".cache");
        Path valCacheFile = cfg.workDir().resolve("val-" + cacheTag + ".cache");
        FeatureCache trainCache;
        FeatureCache valCache;
        if (Files.isRegularFile(trainCacheFile) && Files.isRegularFile(valCacheFile)) {
            log.accept("loading cached activations " + trainCacheFile);
            trainCache = FeatureCache.load(trainCacheFile);
            valCache = FeatureCache.load(valCacheFile);
        } else {
            List<PbcManifest.Entry> train = PbcManifest.read(cfg.data(), "train");
            List<PbcManifest.Entry> val = PbcManifest.read(cfg.data(), "val");
            RgbImage[] trainImgs = decode(train);
            RgbImage[] valImgs = decode(val);
            trainCache = cache(model, params, cut, aug, trainImgs, labels(train), cfg.variants(), true);
            valCache = cache(model, params, cut, aug, valImgs, labels(val), 1, false);
            trainCache.save(trainCacheFile);
            valCache.save(valCacheFile);
        }
        log.accept(String.format("cached activations: train %d x %s, val %d (%.0f s so far)",
                trainCache.size(), Arrays.toString(trainCache.shape()), valCache.size(), secs(start)));

        Map<String, Object> history = new LinkedHashMap<>();
        // the cache does not depend on class weights; the head and checkpoints do
        String runTag = tag + cfg.classWeightOptions().replace(" --class-weight ", "-w").replace('=', '_')
                + cfg.classMarginOptions().replace(" --margin ", "-m").replace('=', '_');
        Path headFile = cfg.workDir().resolve("head-" + runTag + ".params");
        if (cfg.resume() && Files.isRegularFile(headFile)) {
            NetParamsIo.readInto(headFile, params);
            log.accept("resumed head from " + headFile);
        } else {
            double headVal = trainHead(model, params, cut, pool, trainCache, valCache);
            history.put("headValBalancedAccuracy", headVal);
            NetParamsIo.write(headFile, params, List.of("head/w", "head/b"));
        }
        FineTune ft = fineTune(model, params, cut, pool, trainCache, valCache, runTag, start);
        history.put("fineTune", ft.epochs());
        history.put("bestEpoch", ft.bestEpoch());
        history.put("bestEpochValBalancedAccuracy", ft.bestVal());
        String weights = "epoch " + ft.bestEpoch();
        double val = ft.bestVal();
        List<Integer> tail = tailEpochs(cfg.epochs());
        if (cfg.weights() == TrainConfig.Weights.AVERAGE && !tail.isEmpty()) {
            Path ckptDir = cfg.workDir().resolve("ckpt-" + runTag);
            List<Path> files = new ArrayList<>();
            for (int e : tail) {
                files.add(epochFile(ckptDir, e));
            }
            average(files, params);
            val = Metrics.balancedAccuracy(probabilities(model, params, cut, pool, valCache), valCache.labels(),
                    PbcManifest.LABELS.size());
            weights = "mean of epochs " + tail.get(0) + "-" + tail.get(tail.size() - 1);
            history.put("averagedValBalancedAccuracy", val);
            log.accept(String.format("kept the %s: val balanced accuracy %.2f%% (best single epoch %d: %.2f%%)",
                    weights, 100 * val, ft.bestEpoch(), 100 * ft.bestVal()));
        }
        // A resumed run reports the training time of all its runs, not only of this one.
        return new Outcome(model, params, mean, std, weights, val, ft.earlierSeconds() + secs(start), history);
    }

    /** First 12 hex digits of a SHA-256 over the train and val rows of the manifest and the pretrained file. */
    private String dataIdentity() throws IOException {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String split : List.of("train", "val")) {
                for (PbcManifest.Entry e : PbcManifest.read(cfg.data(), split)) {
                    sha.update((split + "," + cfg.data().toAbsolutePath().normalize().relativize(
                            e.path().toAbsolutePath().normalize()) + "," + e.label() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            sha.update(Files.readAllBytes(cfg.pretrained()));
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The epochs trained at a decayed learning rate: the tail whose weights are averaged. */
    static List<Integer> tailEpochs(int epochs) {
        List<Integer> tail = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            if (epochs > 1 && learningRate(1f, e, epochs) < 1f) {
                tail.add(e);
            }
        }
        return tail;
    }

    /** Temporary file, fsync, atomic rename: the commit point of an epoch (read by {@code --resume}). */
    private static void writeState(Path stateFile, Properties st) throws IOException {
        syncDirectory(stateFile.getParent()); // the renames of the parameter files the state names
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.io.StringWriter text = new java.io.StringWriter();
            st.store(text, "fine-tuning state");
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(stateFile.getParent());
    }

    private static void syncDirectory(Path dir) {
        try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system syncs directories; the files themselves are synced
        }
    }

    private static Path epochFile(Path ckptDir, int epoch) {
        return ckptDir.resolve("epoch-" + epoch + ".params");
    }

    /** Sets the fine-tuned parameters to the element-wise mean of those saved in {@code files}. */
    static void average(List<Path> files, NetParams params) throws IOException {
        Map<String, double[]> sum = new LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("cannot average the tail epochs: " + f + " is missing (train again without --resume)");
            }
            NetParams one = new NetParams();
            NetParamsIo.readInto(f, one);
            for (var e : one.all().entrySet()) {
                float[] v = e.getValue().values();
                double[] acc = sum.computeIfAbsent(e.getKey(), k -> new double[v.length]);
                if (acc.length != v.length) {
                    throw new IOException(f + ": " + e.getKey() + " has " + v.length + " values, earlier epochs " + acc.length);
                }
                for (int i = 0; i < v.length; i++) {
                    acc[i] += v[i];
                }
            }
        }
        for (var e : sum.entrySet()) {
            double[] acc = e.getValue();
            float[] mean = new float[acc.length];
            for (int i = 0; i < acc.length; i++) {
                mean[i] = (float) (acc[i] / files.size());
            }
            params.put(e.getKey(), params.get(e.getKey()).shape(), mean);
        }
    }

    /** Class probabilities of every cached cell through the blocks from the cut and the head, all constant. */
    private float[][] probabilities(TfliteModel model, NetParams params, int cut, int pool, FeatureCache cache) {
        int classes = PbcManifest.LABELS.size();
        float[][] out = new float[cache.size()][];
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            MobileNetV2Graph net = new MobileNetV2Graph(model, params);
            Operand<TFloat32> pooled = net.emit(tf, in, cut, pool, Integer.MAX_VALUE, MobileNetV2Graph.Mode.CONSTANT,
                    MobileNetV2Graph.Mode.CONSTANT);
            Operand<TFloat32> probs = tf.nn.softmax(net.head(tf, pooled, MobileNetV2Graph.Mode.CONSTANT));
            try (Session session = session(g)) {
                forEachBatch(cache, EVAL_BATCH, (from, x) -> {
                    try (Result r = session.runner().feed(in, x).fetch(probs).run()) {
                        float[] all = TfArrays.read((TFloat32) r.get(0));
                        for (int k = 0; k < x.shape().get(0); k++) {
                            out[from + k] = Arrays.copyOfRange(all, k * classes, (k + 1) * classes);
                        }
                    }
                });
            }
        }
        return out;
    }

    /** A session with the run's thread setting (see {@link TrainConfig#threads()}). */
    private Session session(Graph g) {
        return new Session(g, sessionConfig(cfg.threads()));
    }

    /** TensorFlow's session options for {@code threads} intra- and inter-op threads (0 = its own choice). */
    public static ConfigProto sessionConfig(int threads) {
        ConfigProto.Builder proto = ConfigProto.newBuilder();
        if (threads > 0) {
            proto.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        return proto.build();
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static int[] labels(List<PbcManifest.Entry> entries) {
        return entries.stream().mapToInt(PbcManifest.Entry::label).toArray();
    }

    private RgbImage[] decode(List<PbcManifest.Entry> entries) throws IOException {
        RgbImage[] out = new RgbImage[entries.size()];
        IOException[] failure = new IOException[1];
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            try {
                out[i] = RgbImage.read(entries.get(i).path());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return out;
    }

    /** Frozen backbone activations at operator {@code cut} for every image (times {@code variants}). */
    private FeatureCache cache(TfliteModel model, NetParams params, int cut, CellAugmenter aug, RgbImage[] imgs,
                               int[] labels, int variants, boolean augment) {
        int n = imgs.length * variants;
        float[][] feats = new float[n][];
        int[] lab = new int[n];
        long[] shape;
        int size = aug.size();
        long t0 = System.nanoTime();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            Operand<TFloat32> out = new MobileNetV2Graph(model, params)
                    .emit(tf, in, 0, cut - 1, Integer.MAX_VALUE, MobileNetV2Graph.Mode.CONSTANT, MobileNetV2Graph.Mode.CONSTANT);
            try (Session session = session(g)) {
                shape = null;
                for (int startIdx = 0; startIdx < n; startIdx += EVAL_BATCH) {
                    int b = Math.min(EVAL_BATCH, n - startIdx);
                    float[] batch = new float[b * size * size * 3];
                    int first = startIdx;
                    IntStream.range(0, b).parallel().forEach(k -> {
                        int idx = first + k;
                        int img = idx % imgs.length;
                        int variant = idx / imgs.length;
                        float[] x = augment
                                ? aug.augmented(imgs[img], new SplittableRandom(cfg.seed() * 1_000_003L + variant * 100_003L + img))
                                : aug.centred(imgs[img]);
                        System.arraycopy(x, 0, batch, k * x.length, x.length);
                    });
                    try (TFloat32 x = TfArrays.tensor(batch, b, size, size, 3);
                         Result r = session.runner().feed(in, x).fetch(out).run()) {
                        TFloat32 y = (TFloat32) r.get(0);
                        float[] all = TfArrays.read(y);
                        int per = all.length / b;
                        if (shape == null) {
                            long[] ys = y.shape().asArray();
                            shape = Arrays.copyOfRange(ys, 1, ys.length);
                        }
                        for (int k = 0; k < b; k++) {
                            feats[startIdx + k] = Arrays.copyOfRange(all, k * per, (k + 1) * per);
                            lab[startIdx + k] = labels[(startIdx + k) % imgs.length];
                        }
                    }
                    if ((startIdx / EVAL_BATCH) % 20 == 0) {
                        double el = secs(t0);
                        int done = startIdx + b;
                        log.accept(String.format("caching %s activations: %d/%d, %.0f s elapsed, ~%.0f s left",
                                augment ? "train" : "val", done, n, el, el / done * (n - done)));
                    }
                }
            }
        }
        return new FeatureCache(feats, lab, shape);
    }

    /** Pooled 1280-d features of the cached activations through the (still pretrained) last blocks. */
    private float[][] pooled(TfliteModel model, NetParams params, int cut, int pool, FeatureCache cache) {
        float[][] out = new float[cache.size()][];
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            Operand<TFloat32> y = new MobileNetV2Graph(model, params)
                    .emit(tf, in, cut, pool, Integer.MAX_VALUE, MobileNetV2Graph.Mode.CONSTANT, MobileNetV2Graph.Mode.CONSTANT);
            try (Session session = session(g)) {
                forEachBatch(cache, EVAL_BATCH, (from, x) -> {
                    try (Result r = session.runner().feed(in, x).fetch(y).run()) {
                        float[] all = TfArrays.read((TFloat32) r.get(0));
                        int per = all.length / (int) x.shape().get(0);
                        for (int k = 0; k < x.shape().get(0); k++) {
                            out[from + k] = Arrays.copyOfRange(all, k * per, (k + 1) * per);
                        }
                    }
                });
            }
        }
        return out;
    }

    private interface BatchBody {
        void accept(int from, TFloat32 x);
    }

    private static void forEachBatch(FeatureCache cache, int batch, BatchBody body) {
        int per = cache.features()[0].length;
        long[] shape = new long[cache.shape().length + 1];
        System.arraycopy(cache.shape(), 0, shape, 1, cache.shape().length);
        for (int from = 0; from < cache.size(); from += batch) {
            int b = Math.min(batch, cache.size() - from);
            float[] data = new float[b * per];
            for (int k = 0; k < b; k++) {
                System.arraycopy(cache.features()[from + k], 0, data, k * per, per);
            }
            shape[0] = b;
            try (TFloat32 x = TfArrays.tensor(data, shape)) {
                body.accept(from, x);
            }
        }
    }

    /** Phase 1: softmax regression on frozen pooled features. Returns the validation balanced accuracy. */
    private double trainHead(TfliteModel model, NetParams params, int cut, int pool, FeatureCache train, FeatureCache val) {
        long t0 = System.nanoTime();
        float[][] ftrain = pooled(model, params, cut, pool, train);
        float[][] fval = pooled(model, params, cut, pool, val);
        log.accept(String.format("pooled features computed in %.0f s", secs(t0)));
        int dim = ftrain[0].length;
        int classes = PbcManifest.LABELS.size();
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        float[] w0 = new float[dim * classes];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        params.put("head/w", new long[] {dim, classes}, w0);
        params.put("head/b", new long[] {classes}, new float[classes]);
        double best = -1;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            Placeholder<TInt32> y = tf.placeholder(TInt32.class);
            MobileNetV2Graph net = new MobileNetV2Graph(model, params);
            Operand<TFloat32> logits = net.head(tf, x, MobileNetV2Graph.Mode.VARIABLE);
            // TF's C++ gradients cover SoftmaxCrossEntropyWithLogits, not the sparse variant
            Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
            Operand<TFloat32> loss = meanLoss(tf, tf.nn.softmaxCrossEntropyWithLogits(
                    marginLogits(tf, logits, oneHot, cfg.lossMargins()), oneHot).loss(), oneHot, cfg.lossWeights());
            Op step = OrderedAdam.minimize(tf, loss, trainable(net), 1e-3f);
            Operand<TFloat32> probs = tf.nn.softmax(logits);
            try (Session session = session(g)) {
                session.initialize();
                int batch = 128;
                int[] order = IntStream.range(0, ftrain.length).toArray();
                for (int epoch = 1; epoch <= cfg.headEpochs(); epoch++) {
                    shuffle(order, new SplittableRandom(cfg.seed() + epoch));
                    double lossSum = 0;
                    int steps = 0;
                    for (int from = 0; from < order.length; from += batch) {
                        int b = Math.min(batch, order.length - from);
                        float[] xb = new float[b * dim];
                        int[] yb = new int[b];
                        for (int k = 0; k < b; k++) {
                            System.arraycopy(ftrain[order[from + k]], 0, xb, k * dim, dim);
                            yb[k] = train.labels()[order[from + k]];
                        }
                        try (TFloat32 xt = TfArrays.tensor(xb, b, dim); TInt32 yt = TInt32.vectorOf(yb);
                             Result r = session.runner().feed(x, xt).feed(y, yt).addTarget(step).fetch(loss).run()) {
                            lossSum += ((TFloat32) r.get(0)).getFloat();
                            steps++;
                        }
                    }
                    float[][] p = new float[fval.length][];
                    for (int from = 0; from < fval.length; from += EVAL_BATCH) {
                        int b = Math.min(EVAL_BATCH, fval.length - from);
                        float[] xb = new float[b * dim];
                        for (int k = 0; k < b; k++) {
                            System.arraycopy(fval[from + k], 0, xb, k * dim, dim);
                        }
                        try (TFloat32 xt = TfArrays.tensor(xb, b, dim); Result r = session.runner().feed(x, xt).fetch(probs).run()) {
                            float[] all = TfArrays.read((TFloat32) r.get(0));
                            for (int k = 0; k < b; k++) {
                                p[from + k] = Arrays.copyOfRange(all, k * classes, (k + 1) * classes);
                            }
                        }
                    }
                    double bal = Metrics.balancedAccuracy(p, val.labels(), classes);
                    log.accept(String.format("head epoch %d/%d: loss %.4f, val balanced accuracy %.2f%%, %.0f s",
                            epoch, cfg.headEpochs(), lossSum / steps, 100 * bal, secs(t0)));
                    if (bal > best) {
                        best = bal;
                        readVariables(session, net, params);
                    }
                }
            }
        }
        return best;
    }

    /** The network's variables in key order, so the step's ops are built in the same order every run. */
    private static List<Variable<TFloat32>> trainable(MobileNetV2Graph net) {
        return new java.util.TreeMap<>(net.variables()).values().stream().toList();
    }

    private static void readVariables(Session session, MobileNetV2Graph net, NetParams params) {
        for (var e : net.variables().entrySet()) {
            try (Result r = session.runner().fetch(e.getValue()).run()) {
                params.put(e.getKey(), params.get(e.getKey()).shape(), TfArrays.read((TFloat32) r.get(0)));
            }
        }
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private record FineTune(int bestEpoch, double bestVal, List<Map<String, Object>> epochs, double earlierSeconds) {
    }

    /**
     * Learning rate of fine-tuning epoch {@code epoch} (1-based): the base rate for the first half of
     * the epochs, 0.3x for the third quarter, 0.1x for the last quarter (step decay; the framework's
     * Adam takes a constant rate, so each rate gets its own graph and optimizer).
     */
    static float learningRate(float base, int epoch, int epochs) {
        if (epoch <= Math.ceil(epochs * 0.5)) {
            return base;
        }
        return epoch <= Math.ceil(epochs * 0.75) ? base * 0.3f : base * 0.1f;
    }

    /**
     * Phase 2: the blocks from the cut on plus the head, trained together on the cached activations.
     * After every epoch the current parameters and the best ones (by validation balanced accuracy) are
     * written to the work folder. A resumed run continues after the last epoch saved when that epoch
     * ended a learning-rate phase; killed in mid-phase, it runs the phase again from its start (Adam's
     * moments and the dropout stream live in the phase's graph), so a resumed run ends with the same
     * weights as an uninterrupted one.
     */
    private FineTune fineTune(TfliteModel model, NetParams params, int cut, int pool, FeatureCache train,
                              FeatureCache val, String tag, long runStart) throws IOException {
        Path ckptDir = cfg.workDir().resolve("ckpt-" + tag);
        Path stateFile = ckptDir.resolve("state.properties");
        Path bestFile = ckptDir.resolve("best.params");
        Path lastFile = ckptDir.resolve("last.params");
        List<Map<String, Object>> epochs = new ArrayList<>();
        int bestEpoch = 0;
        double bestVal = -1;
        int epoch = 1;
        double earlierSeconds = 0;
        Properties state = new Properties(); // what is carried into every state file written below
        if (cfg.resume() && Files.isRegularFile(stateFile)) {
            Properties st = new Properties();
            try (var in = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                st.load(in);
            }
            checkSameSchedule(st);
            int done = Integer.parseInt(st.getProperty("epoch"));
            bestEpoch = Integer.parseInt(st.getProperty("bestEpoch"));
            bestVal = Double.parseDouble(st.getProperty("bestVal"));
            earlierSeconds = Double.parseDouble(st.getProperty("seconds", "0"));
            int start = phaseStart(done + 1, cfg.epochs());
            if (done < cfg.epochs() && start <= done && hasValFigures(st, start - 1)) {
                // Each rate phase is one graph: a fresh Adam and one dropout stream seeded by the phase's first
                // epoch. Continuing in mid-phase would restart both and change the run, so the phase is run
                // again from its start, exactly as an uninterrupted run makes it.
                bestEpoch = 0;
                bestVal = -1;
                for (int e = 1; e < start; e++) {
                    double v = Double.parseDouble(st.getProperty("val." + e));
                    if (v > bestVal) {
                        bestVal = v;
                        bestEpoch = e;
                    }
                }
                log.accept("killed in mid-phase after epoch " + done + ": running epochs " + start + ".." + done
                        + " again from the start of their learning-rate phase, so the run stays repeatable");
                done = start - 1;
            }
            for (int e = 1; e <= done; e++) {
                String v = st.getProperty("val." + e);
                if (v != null) {
                    state.setProperty("val." + e, v);
                }
            }
            if (done > 0) {
                // the state file is written last, so the epoch file it names is complete; last.params may be
                // one epoch ahead of it after a kill between the two
                Path doneFile = epochFile(ckptDir, done);
                NetParamsIo.readInto(Files.isRegularFile(doneFile) ? doneFile : lastFile, params);
            }
            epoch = done + 1;
            log.accept("resumed fine-tuning after epoch " + (epoch - 1) + " (best so far epoch " + bestEpoch
                    + ", val balanced accuracy " + String.format("%.2f%%", 100 * bestVal) + ")");
        } else {
            // A new run: checkpoints of an earlier run in this folder must not be taken for this one's
            // (a later --resume would read them).
            deleteCheckpoints(ckptDir);
        }
        long t0 = System.nanoTime();
        int stepsPerEpoch = (train.size() + cfg.batch() - 1) / cfg.batch();
        int stepsTotal = stepsPerEpoch * Math.max(0, cfg.epochs() - epoch + 1);
        int[] stepsDone = {0};
        while (epoch <= cfg.epochs()) {
            float lr = learningRate(cfg.learningRate(), epoch, cfg.epochs());
            int last = epoch;
            while (last + 1 <= cfg.epochs() && learningRate(cfg.learningRate(), last + 1, cfg.epochs()) == lr) {
                last++;
            }
            log.accept(String.format("fine-tuning epochs %d..%d at learning rate %.2e", epoch, last, lr));
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
                Placeholder<TFloat32> y = tf.placeholder(TFloat32.class);
                PlaceholderWithDefault<TFloat32> keep = tf.placeholderWithDefault(tf.constant(1f), Shape.scalar());
                MobileNetV2Graph net = new MobileNetV2Graph(model, params);
                Operand<TFloat32> pooled = net.emit(tf, x, cut, pool, cut, MobileNetV2Graph.Mode.CONSTANT, MobileNetV2Graph.Mode.VARIABLE);
                Operand<TFloat32> noise = tf.random.randomUniform(tf.shape(pooled), TFloat32.class,
                        RandomUniform.seed(cfg.seed() + epoch), RandomUniform.seed2(7L));
                Operand<TFloat32> mask = tf.math.div(tf.math.floor(tf.math.add(noise, keep)), keep);
                Operand<TFloat32> logits = net.head(tf, tf.math.mul(pooled, mask), MobileNetV2Graph.Mode.VARIABLE);
                Operand<TFloat32> loss = meanLoss(tf, tf.nn.softmaxCrossEntropyWithLogits(
                        marginLogits(tf, logits, y, cfg.lossMargins()), y).loss(), y, cfg.lossWeights());
                Op step = OrderedAdam.minimize(tf, loss, trainable(net), lr);
                Operand<TFloat32> probs = tf.nn.softmax(logits);
                try (Session session = session(g)) {
                    session.initialize();
                    for (; epoch <= last; epoch++) {
                        double[] lossAndVal = runEpoch(session, x, y, keep, step, loss, probs, train, val, epoch,
                                stepsPerEpoch, stepsTotal, stepsDone, t0);
                        double bal = lossAndVal[1];
                        Map<String, Object> rec = new LinkedHashMap<>();
                        rec.put("epoch", epoch);
                        rec.put("learningRate", lr);
                        rec.put("trainLoss", lossAndVal[0]);
                        rec.put("valAccuracy", lossAndVal[2]);
                        rec.put("valBalancedAccuracy", bal);
                        epochs.add(rec);
                        log.accept(String.format("epoch %d/%d done: loss %.4f, val accuracy %.2f%%, val balanced accuracy %.2f%% (%.0f s since start)",
                                epoch, cfg.epochs(), lossAndVal[0], 100 * lossAndVal[2], 100 * bal, secs(runStart)));
                        readVariables(session, net, params);
                        List<String> keys = new ArrayList<>(net.variables().keySet());
                        NetParamsIo.write(lastFile, params, keys);
                        NetParamsIo.write(epochFile(ckptDir, epoch), params, keys);
                        if (bal > bestVal) {
                            bestVal = bal;
                            bestEpoch = epoch;
                            NetParamsIo.write(bestFile, params, keys);
                        }
                        state.setProperty("val." + epoch, Double.toString(bal));
                        Properties st = new Properties();
                        st.putAll(state);
                        schedule().forEach(st::setProperty);
                        st.setProperty("epoch", Integer.toString(epoch));
                        st.setProperty("bestEpoch", Integer.toString(bestEpoch));
                        st.setProperty("bestVal", Double.toString(bestVal));
                        st.setProperty("seconds", Double.toString(earlierSeconds + secs(runStart)));
                        writeState(stateFile, st);
                    }
                }
            }
        }
        // by the epoch the state names: best.params may be newer than the state after a kill
        Path chosen = bestEpoch > 0 && Files.isRegularFile(epochFile(ckptDir, bestEpoch)) ? epochFile(ckptDir, bestEpoch)
                : bestFile;
        if (Files.isRegularFile(chosen)) {
            NetParamsIo.readInto(chosen, params);
        }
        log.accept(String.format("chosen epoch %d: val balanced accuracy %.2f%%", bestEpoch, 100 * bestVal));
        return new FineTune(bestEpoch, bestVal, epochs, earlierSeconds);
    }

    /** The first epoch of the learning-rate phase that {@code epoch} belongs to. */
    static int phaseStart(int epoch, int epochs) {
        int start = Math.min(epoch, Math.max(1, epochs));
        while (start > 1 && learningRate(1f, start - 1, epochs) == learningRate(1f, start, epochs)) {
            start--;
        }
        return start;
    }

    /** True when the state holds the validation figure of every epoch up to {@code upTo} (older states do not). */
    private static boolean hasValFigures(Properties st, int upTo) {
        for (int e = 1; e <= upTo; e++) {
            if (st.getProperty("val." + e) == null) {
                return false;
            }
        }
        return true;
    }

    /** Settings that shape every step of fine-tuning; a resume must use the same ones. */
    private Map<String, String> schedule() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("learningRate", Float.toString(cfg.learningRate()));
        m.put("batch", Integer.toString(cfg.batch()));
        m.put("headEpochs", Integer.toString(cfg.headEpochs()));
        return m;
    }

    /** Refuses a resume whose settings differ from the run's (states written before they were recorded pass). */
    private void checkSameSchedule(Properties st) {
        Map<String, String> option = Map.of("learningRate", "--learning-rate", "batch", "--batch",
                "headEpochs", "--head-epochs");
        schedule().forEach((key, now) -> {
            String then = st.getProperty(key);
            if (then != null && !then.equals(now)) {
                throw new IllegalArgumentException("--resume: the checkpoints in " + cfg.workDir() + " were trained with "
                        + option.get(key) + " " + then + ", not " + now + "; resume with the same value, or train "
                        + "without --resume (or in another --work-dir)");
            }
        });
    }

    private static void deleteCheckpoints(Path ckptDir) throws IOException {
        if (!Files.isDirectory(ckptDir)) {
            return;
        }
        // the state first: without it nothing else in the folder is read
        Files.deleteIfExists(ckptDir.resolve("state.properties"));
        try (var files = Files.list(ckptDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".params")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** One epoch over the shuffled cache; returns {loss, val balanced accuracy, val accuracy}. */
    private double[] runEpoch(Session session, Placeholder<TFloat32> x, Placeholder<TFloat32> y,
                              PlaceholderWithDefault<TFloat32> keep, Op step, Operand<TFloat32> loss, Operand<TFloat32> probs,
                              FeatureCache train, FeatureCache val, int epoch, int stepsPerEpoch, int stepsTotal,
                              int[] stepsDone, long t0) {
        int classes = PbcManifest.LABELS.size();
        int n = train.size();
        int per = train.features()[0].length;
        long[] shape = new long[train.shape().length + 1];
        System.arraycopy(train.shape(), 0, shape, 1, train.shape().length);
        int[] order = IntStream.range(0, n).toArray();
        shuffle(order, new SplittableRandom(cfg.seed() * 31 + epoch));
        double lossSum = 0;
        int count = 0;
        for (int st = 0; st < stepsPerEpoch; st++) {
            int from = st * cfg.batch();
            int b = Math.min(cfg.batch(), n - from);
            float[] xb = new float[b * per];
            float[] yb = new float[b * classes];
            for (int k = 0; k < b; k++) {
                int idx = order[from + k];
                System.arraycopy(train.features()[idx], 0, xb, k * per, per);
                for (int c = 0; c < classes; c++) {
                    yb[k * classes + c] = LABEL_SMOOTHING / classes;
                }
                yb[k * classes + train.labels()[idx]] += 1 - LABEL_SMOOTHING;
            }
            shape[0] = b;
            try (TFloat32 xt = TfArrays.tensor(xb, shape); TFloat32 yt = TfArrays.tensor(yb, b, classes);
                 TFloat32 kt = TFloat32.scalarOf(DROPOUT_KEEP);
                 Result r = session.runner().feed(x, xt).feed(y, yt).feed(keep, kt).addTarget(step).fetch(loss).run()) {
                lossSum += ((TFloat32) r.get(0)).getFloat();
                count++;
            }
            stepsDone[0]++;
            if (st % 100 == 0 || st == stepsPerEpoch - 1) {
                double el = secs(t0);
                log.accept(String.format("epoch %d/%d step %d/%d loss %.4f | %.0f s elapsed, ~%.0f s left",
                        epoch, cfg.epochs(), st + 1, stepsPerEpoch, lossSum / count, el,
                        el / stepsDone[0] * (stepsTotal - stepsDone[0])));
            }
        }
        float[][] p = new float[val.size()][];
        forEachBatch(val, EVAL_BATCH, (from, xv) -> {
            try (Result r = session.runner().feed(x, xv).fetch(probs).run()) {
                float[] all = TfArrays.read((TFloat32) r.get(0));
                for (int k = 0; k < xv.shape().get(0); k++) {
                    p[from + k] = Arrays.copyOfRange(all, k * classes, (k + 1) * classes);
                }
            }
        });
        return new double[] {lossSum / count, Metrics.balancedAccuracy(p, val.labels(), classes), Metrics.accuracy(p, val.labels())};
    }

    /**
     * Mean cross-entropy over the batch; with class weights, each cell's term is scaled by its target's weight
     * (the dot product of the target distribution and the weights, so label smoothing blends them). Without
     * weights the graph is the plain mean, exactly as before weights existed.
     */
    static Operand<TFloat32> meanLoss(Ops tf, Operand<TFloat32> perCell, Operand<TFloat32> target, float[] classWeights) {
        if (classWeights == null) {
            return tf.math.mean(perCell, tf.constant(0));
        }
        Operand<TFloat32> w = tf.reduceSum(tf.math.mul(target, tf.constant(classWeights)), tf.constant(1));
        return tf.math.mean(tf.math.mul(perCell, w), tf.constant(0));
    }

    /**
     * The logits the loss sees: each cell's true-class logit lowered by that class's margin. The true class is
     * the target's entry above 1/2 (label smoothing leaves it near 1 and the others near 0). Without margins
     * the logits themselves, so the graph is exactly as before margins existed.
     */
    static Operand<TFloat32> marginLogits(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> target, float[] margins) {
        if (margins == null) {
            return logits;
        }
        Operand<TFloat32> trueClass = tf.dtypes.cast(tf.math.greater(target, tf.constant(0.5f)), TFloat32.class);
        return tf.math.sub(logits, tf.math.mul(trueClass, tf.constant(margins)));
    }

    private static NetParams copyOf(NetParams p) {
        NetParams c = new NetParams();
        for (var e : p.all().entrySet()) {
            c.put(e.getKey(), e.getValue().shape(), e.getValue().values());
        }
        return c;
    }

}
