package org.hematovision.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One Adam step (Kingma and Ba, defaults beta1 0.9, beta2 0.999, epsilon 1e-8) as graph ops whose
 * order is fixed: every gradient is computed before any weight changes, and the bias-correction powers
 * advance only after every weight has changed.
 *
 * <p>Why not {@code tensorflow-framework}'s {@code Adam} (1.0.0): its step puts the {@code beta1_power}
 * and {@code beta2_power} updates beside the weight updates with no dependency between them, and the
 * weights are reference variables, read when an op runs. So within one step some weights were
 * corrected with this step's powers and some with the next one's, and a layer's input gradient could
 * be computed from weights already updated, as the executor happened to order the ops. Swapped into
 * {@code OrderedAdamTest}, that optimizer is off from the hand-computed Adam after the first step and
 * two runs end differently, on one thread too; every run of the trainer drifted apart from the last.
 */
final class OrderedAdam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private OrderedAdam() {
    }

    /**
     * The target op of one step minimising {@code loss} over {@code variables}. The moment slots and
     * powers are variables with initialisers, so the session must run its initialisers first.
     */
    static Op minimize(Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, float learningRate) {
        Gradients gradients = tf.gradients(loss, variables);
        List<Identity<TFloat32>> grads = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            grads.add(tf.identity(gradients.<TFloat32>dy(i)));
        }
        Ops afterGradients = tf.withControlDependencies(new ArrayList<Op>(grads));
        Variable<TFloat32> beta1Power = tf.withName("adam_beta1_power").variable(tf.constant(BETA1));
        Variable<TFloat32> beta2Power = tf.withName("adam_beta2_power").variable(tf.constant(BETA2));
        Operand<TFloat32> lr = tf.constant(learningRate);
        Operand<TFloat32> beta1 = tf.constant(BETA1);
        Operand<TFloat32> beta2 = tf.constant(BETA2);
        Operand<TFloat32> epsilon = tf.constant(EPSILON);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> v = variables.get(i);
            // zeros of the static shape: an initialiser may not read v, which may not be initialised yet
            Operand<TFloat32> zeros = tf.fill(tf.constant(v.shape().asArray()), tf.constant(0f));
            Variable<TFloat32> m = tf.variable(zeros);
            Variable<TFloat32> s = tf.variable(zeros);
            updates.add(afterGradients.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grads.get(i)));
        }
        Ops afterUpdates = tf.withControlDependencies(updates);
        Op p1 = afterUpdates.assign(beta1Power, afterUpdates.math.mul(beta1Power, beta1));
        Op p2 = afterUpdates.assign(beta2Power, afterUpdates.math.mul(beta2Power, beta2));
        return tf.withControlDependencies(List.of(p1, p2)).noOp();
    }
}
