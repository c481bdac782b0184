/**
 * White-cell classification: the model bundle, preprocessing, the TensorFlow runner and decoding.
 *
 * <h2>Model bundle, format 1</h2>
 * A directory ({@code models/NAME/}) holding:
 * <ul>
 *   <li>{@code saved_model/}: a TensorFlow SavedModel, tag {@code serve}, signature
 *       {@code serving_default} with input {@code image} float32 [N,H,W,3] (RGB, normalized) and
 *       output {@code probabilities} float32 [N,C] (softmax, label order);</li>
 *   <li>{@code model.json}: name, version, labels, {@code input} (width, height, colorOrder "RGB",
 *       mean, std), abnormalLabels, excludedLabels, {@code review} (minProbability, maxEntropy or
 *       null, temperature: optional, &gt; 0, 1 when absent; classBias: optional object of label to logit
 *       offset, 0 for a label it does not name), {@code files} (path relative to the bundle to SHA-256 hex, for every file of
 *       {@code saved_model/}), free-form provenance and metrics.</li>
 * </ul>
 * A pixel byte {@code v} of channel {@code c} (R,G,B) becomes {@code (v/255 - mean[c]) / std[c]}
 * ({@link org.hematovision.classify.CellPreprocessor}). Each probability row is first calibrated with
 * the temperature T and the class offsets b: softmax(log(p) / T + b), i.e. softmax(logits / T + b),
 * both fitted together on the validation split (T &gt; 1 softens, T &lt; 1 sharpens; b_c &gt; 0 for a class
 * the network under-calls; T = 1 without offsets leaves the row untouched). Those calibrated probabilities are the ones reported, and a cell goes to review
 * when the top one is below {@code minProbability} or, if set, their normalized entropy exceeds
 * {@code maxEntropy} ({@link org.hematovision.classify.PredictionDecoder}). Training sets
 * {@code minProbability} to 2/3: a silent error costs twice a review, so a cell is worth accepting
 * only when it is right at least two times in three.
 *
 * <p>{@link org.hematovision.classify.ModelBundleWriter} writes {@code model.json} after a
 * SavedModel export; {@link org.hematovision.classify.ModelBundle#open} verifies a bundle without
 * TensorFlow; {@link org.hematovision.classify.TfCellClassifier} runs it.
 */
package org.hematovision.classify;
