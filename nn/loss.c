/* loss.c: categorical cross-entropy fused with softmax, computed on the logits.
 *
 * For one row, loss = log(sum_j exp(z_j)) - z_label, evaluated as
 * max + log(sum_j exp(z_j - max)) so that no exp() overflows and a confident wrong answer
 * gives a large finite loss instead of log(0). The gradient of the mean loss over n rows
 * is (softmax(z) - onehot(label)) / n.
 */
#include <math.h>

#include "layers.h"

double nn_softmax_cross_entropy(const float *logits, const uint8_t *labels, size_t n,
                                int classes, float *probs, float *dlogits, size_t *correct)
{
    return nn_softmax_cross_entropy_rows(logits, labels, n, classes, n, probs, dlogits, correct);
}

double nn_softmax_cross_entropy_rows(const float *logits, const uint8_t *labels, size_t n,
                                     int classes, size_t batch_size, float *probs,
                                     float *dlogits, size_t *correct)
{
    double total = 0.0;
    size_t right = 0;

    for (size_t r = 0; r < n; r++) {
        const float *z = logits + r * (size_t)classes;
        int label = labels[r];
        int best = 0;
        double sum = 0.0, log_sum;

        for (int j = 1; j < classes; j++)
            if (z[j] > z[best])
                best = j;
        for (int j = 0; j < classes; j++)
            sum += exp((double)z[j] - z[best]);
        log_sum = z[best] + log(sum);
        total += log_sum - z[label];
        if (best == label)
            right++;

        for (int j = 0; j < classes; j++) {
            double p = exp((double)z[j] - log_sum);

            if (probs)
                probs[r * (size_t)classes + j] = (float)p;
            if (dlogits)
                dlogits[r * (size_t)classes + j] = (float)((p - (j == label)) / (double)batch_size);
        }
    }
    if (correct)
        *correct = right;
    return total;
}
