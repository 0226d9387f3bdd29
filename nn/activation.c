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

void nn_activation_forward(nn_activation activation, const float *z, size_t n, size_t width,
                           float *y)
{
    size_t count = n * width;

    switch (activation) {
    case NN_ACT_LINEAR:
        if (y != z)
            for (size_t i = 0; i < count; i++)
                y[i] = z[i];
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < count; i++)
            y[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < count; i++)
            y[i] = 1.0f / (1.0f + expf(-z[i]));
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < count; i++)
            y[i] = tanhf(z[i]);
        break;
    case NN_ACT_SOFTMAX:
        for (size_t r = 0; r < n; r++)
            softmax_row(z + r * width, width, y + r * width);
        break;
    }
}

void nn_activation_backward(nn_activation activation, const float *y, const float *dy,
                            size_t n, size_t width, float *dz)
{
    size_t count = n * width;

    switch (activation) {
    case NN_ACT_LINEAR:
        if (dz != dy)
            for (size_t i = 0; i < count; i++)
                dz[i] = dy[i];
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < count; i++)
            dz[i] = y[i] > 0.0f ? dy[i] : 0.0f;
        break;
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < count; i++)
            dz[i] = dy[i] * y[i] * (1.0f - y[i]);
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < count; i++)
            dz[i] = dy[i] * (1.0f - y[i] * y[i]);
        break;
    case NN_ACT_SOFTMAX:
        /* The Jacobian-vector product of softmax: dz_j = y_j * (dy_j - sum_k dy_k y_k). */
        for (size_t r = 0; r < n; r++) {
            const float *yr = y + r * width, *dyr = dy + r * width;
            float *dzr = dz + r * width;
            double dot = 0.0;

            for (size_t j = 0; j < width; j++)
                dot += (double)dyr[j] * yr[j];
            for (size_t j = 0; j < width; j++)
                dzr[j] = (float)(yr[j] * (dyr[j] - dot));
        }
        break;
    }
}
