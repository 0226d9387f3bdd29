/* activation.c: element-wise activations and the row-wise softmax, forward and backward. */
#include <math.h>

#include "layers.h"

static void softmax_row(const float *z, size_t width, float *y)
{
    /* Subtracting the row maximum keeps exp() from overflowing; it cancels in the ratio. */
    float max = z[0];
    double sum = 0.0;

    for (size_t j = 1; j < width; j++)
        if (z[j] > max)
            max = z[j];
    for (size_t j = 0; j < width; j++) {
        y[j] = expf(z[j] - max);
        sum += y[j];
    }
    for (size_t j = 0; j < width; j++)
        y[j] = (float)(y[j] / sum);
}

NN_SIMD_CLONES
void nn_activation_forward(nn_activation activation, float *values, size_t n, size_t width)
{
    size_t count = n * width;

    /* In place on purpose: with separate input and output pointers the compiler adds an
     * overlap check, and in-place calls then take its slow scalar path. */
    switch (activation) {
    case NN_ACT_LINEAR:
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < count; i++)
            values[i] = values[i] > 0.0f ? values[i] : 0.0f;
        break;
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < count; i++)
            values[i] = 1.0f / (1.0f + expf(-values[i]));
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < count; i++)
            values[i] = tanhf(values[i]);
        break;
    case NN_ACT_SOFTMAX:
        for (size_t r = 0; r < n; r++)
            softmax_row(values + r * width, width, values + r * width);
        break;
    }
}

NN_SIMD_CLONES
void nn_activation_backward(nn_activation activation, const float *restrict y,
                            float *restrict grad, size_t n, size_t width)
{
    size_t count = n * width;

    switch (activation) {
    case NN_ACT_LINEAR:
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < count; i++)
            grad[i] = y[i] > 0.0f ? grad[i] : 0.0f;
        break;
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < count; i++)
            grad[i] *= y[i] * (1.0f - y[i]);
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < count; i++)
            grad[i] *= 1.0f - y[i] * y[i];
        break;
    case NN_ACT_SOFTMAX:
        /* The Jacobian-vector product of softmax: dz_j = y_j * (dy_j - sum_k dy_k y_k). */
        for (size_t r = 0; r < n; r++) {
            const float *yr = y + r * width;
            float *gr = grad + r * width;
            double dot = 0.0;

            for (size_t j = 0; j < width; j++)
                dot += (double)gr[j] * yr[j];
            for (size_t j = 0; j < width; j++)
                gr[j] = (float)(yr[j] * (gr[j] - dot));
        }
        break;
    }
}

NN_SIMD_CLONES
void nn_activation_backward_bias(nn_activation activation, const float *restrict y,
                                 float *restrict dy, size_t n, size_t width,
                                 float *restrict dbias)
{
    nn_activation_backward(activation, y, dy, n, width);

    /* Column sums in row order, so the result never depends on the thread count. */
    for (size_t j = 0; j < width; j++)
        dbias[j] = 0.0f;
    for (size_t r = 0; r < n; r++) {
        const float *restrict row = dy + r * width;

        for (size_t j = 0; j < width; j++)
            dbias[j] += row[j];
    }
}
