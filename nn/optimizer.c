/* optimizer.c: the update rules of the three optimizers (SGD, momentum, Adam).
 *
 * The formulas follow Keras (tf.keras.optimizers.SGD and Adam), so a student's numbers
 * match the tutorials they read. The state (velocity, m, v, step) lives in the model.
 */
#include <math.h>

#include "layers.h"

NN_SIMD_CLONES
void nn_sgd_step(float *weights, const float *grads, size_t count, double learning_rate)
{
    float lr = (float)learning_rate;

    for (size_t i = 0; i < count; i++)
        weights[i] -= lr * grads[i];
}

NN_SIMD_CLONES
void nn_momentum_step(float *weights, const float *grads, float *velocity, size_t count,
                      double learning_rate)
{
    float lr = (float)learning_rate, momentum = (float)NN_MOMENTUM;

    for (size_t i = 0; i < count; i++) {
        velocity[i] = momentum * velocity[i] - lr * grads[i];
        weights[i] += velocity[i];
    }
}

NN_SIMD_CLONES
void nn_adam_step(float *weights, const float *grads, float *m, float *v, size_t count,
                  double learning_rate, long step)
{
    /* The bias corrections fold into one step size, which Kingma and Ba describe as the
     * more efficient ordering (Adam, 2014, end of section 2); epsilon is then their
     * "epsilon hat", as in Keras. */
    double t = (double)step;
    float lr_t = (float)(learning_rate * sqrt(1.0 - pow(NN_ADAM_BETA2, t)) /
                         (1.0 - pow(NN_ADAM_BETA1, t)));
    float beta1 = (float)NN_ADAM_BETA1, beta2 = (float)NN_ADAM_BETA2;
    /* 1 - beta in double, then rounded: 1.0f - 0.999f would be off by 1.3e-5 relative. */
    float one_minus_beta1 = (float)(1.0 - NN_ADAM_BETA1);
    float one_minus_beta2 = (float)(1.0 - NN_ADAM_BETA2);
    float epsilon = (float)NN_ADAM_EPSILON;

    for (size_t i = 0; i < count; i++) {
        float g = grads[i];

        m[i] = beta1 * m[i] + one_minus_beta1 * g;
        v[i] = beta2 * v[i] + one_minus_beta2 * g * g;
        weights[i] -= lr_t * m[i] / (sqrtf(v[i]) + epsilon);
    }
}
