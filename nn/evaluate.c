/* evaluate.c: loss, accuracy and confusion matrix over a set of images. */
#include <math.h>
#include <string.h>

#include "model_internal.h"

void nn_model_score(nn_model *model, const uint8_t *images, const uint8_t *labels,
                    const uint32_t *indices, size_t count, size_t batch_size,
                    nn_evaluation *out)
{
    double loss_sum = 0.0;
    size_t correct_sum = 0;

    memset(out, 0, sizeof *out);
    for (size_t start = 0; start < count; start += batch_size) {
        size_t n = count - start < batch_size ? count - start : batch_size;
        const float *logits;

        nn_model_load_batch(model, images, labels, indices + start, n);
        logits = nn_model_forward(model, n, 0, NULL);
        loss_sum += nn_softmax_cross_entropy(logits, model->labels, n, NN_CLASSES, NULL, NULL,
                                             NULL);

        for (size_t i = 0; i < n; i++) {
            /* The largest logit, not probability, so that rounding never creates a tie. */
            const float *p = logits + i * NN_CLASSES;
            int predicted = 0;

            for (int j = 1; j < NN_CLASSES; j++)
                if (p[j] > p[predicted])
                    predicted = j;
            out->confusion[model->labels[i]][predicted]++;
            correct_sum += predicted == model->labels[i];
        }
    }
    out->count = count;
    out->loss = count ? loss_sum / (double)count : NAN;
    out->accuracy = count ? (double)correct_sum / (double)count : NAN;
}

int nn_evaluate(nn_model *model, const nn_dataset *ds, const nn_settings *s,
                nn_evaluation *out, nn_error *err)
{
    nn_subsets subsets = {0};
    int status = -1;

    if (nn_settings_check(s, ds, err) != 0)
        return -1;
    if (nn_subsets_make(&subsets, ds, s, err) != 0)
        return -1;
    if (nn_model_reserve(model, (size_t)s->batch_size, err) != 0)
        goto out;
    nn_set_threads(s->threads);

    nn_model_score(model, ds->test_images, ds->test_labels, subsets.test, subsets.n_test,
                   (size_t)s->batch_size, out);
    status = 0;

out:
    nn_subsets_free(&subsets);
    return status;
}
