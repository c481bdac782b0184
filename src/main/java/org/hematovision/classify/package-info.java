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
 *       null), {@code files} (path relative to the bundle to SHA-256 hex, for every file of
 *       {@code saved_model/}), free-form provenance and metrics.</li>
 * </ul>
 * A pixel byte {@code v} of channel {@code c} (R,G,B) becomes {@code (v/255 - mean[c]) / std[c]}
 * ({@link org.hematovision.classify.CellPreprocessor}). A cell goes to review when its top
 * probability is below {@code minProbability} or, if set, its normalized entropy exceeds
 * {@code maxEntropy} ({@link org.hematovision.classify.PredictionDecoder}).
 *
 * <p>{@link org.hematovision.classify.ModelBundleWriter} writes {@code model.json} after a
 * SavedModel export; {@link org.hematovision.classify.ModelBundle#open} verifies a bundle without
 * TensorFlow; {@link org.hematovision.classify.TfCellClassifier} runs it.
 */
package org.hematovision.classify;
