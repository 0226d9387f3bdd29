/* max_pooling2d.c: 2x2 max pooling with stride 2 and valid padding (odd edges dropped). */
#include <string.h>

#include "layers.h"

typedef struct {
    const float *x;
    float *y;
    int32_t *argmax;
    const float *dy;
    const int32_t *argmax_in;
    float *dx;
    int h, w, c;
} pool_work;

static void pool_forward_samples(void *context, int part, size_t begin, size_t end)
{
    const pool_work *work = context;
    int h = work->h, w = work->w, c = work->c;
    int out_h = h / NN_POOL_SIZE, out_w = w / NN_POOL_SIZE;
    size_t in_size = (size_t)h * w * c, out_size = (size_t)out_h * out_w * c;

    for (size_t i = begin; i < end; i++) {
        const float *x = work->x + i * in_size;
        float *y = work->y + i * out_size;
        int32_t *argmax = work->argmax + i * out_size;

        for (int oy = 0; oy < out_h; oy++)
            for (int ox = 0; ox < out_w; ox++)
                for (int ch = 0; ch < c; ch++) {
                    /* The first maximum in row-major window order wins a tie, as in
                     * TensorFlow. */
                    int32_t best = (int32_t)(((size_t)(2 * oy) * w + 2 * ox) * c + ch);

                    for (int dy = 0; dy < NN_POOL_SIZE; dy++)
                        for (int dx = 0; dx < NN_POOL_SIZE; dx++) {
                            int32_t at = (int32_t)(((size_t)(2 * oy + dy) * w + 2 * ox + dx) * c + ch);

                            if (x[at] > x[best])
                                best = at;
                        }
                    *y++ = x[best];
                    *argmax++ = best;
                }
    }
}

static void pool_backward_samples(void *context, int part, size_t begin, size_t end)
{
    const pool_work *work = context;
    size_t in_size = (size_t)work->h * work->w * work->c;
    size_t out_size = (size_t)(work->h / NN_POOL_SIZE) * (work->w / NN_POOL_SIZE) * work->c;

    for (size_t i = begin; i < end; i++) {
        float *dx = work->dx + i * in_size;
        const float *dy = work->dy + i * out_size;
        const int32_t *argmax = work->argmax_in + i * out_size;

        memset(dx, 0, in_size * sizeof(float));
        for (size_t j = 0; j < out_size; j++)
            dx[argmax[j]] += dy[j];
    }
}

void nn_max_pooling2d_forward(const float *x, size_t n, int h, int w, int c, float *y,
                              int32_t *argmax)
{
    pool_work work = {.x = x, .y = y, .argmax = argmax, .h = h, .w = w, .c = c};

    nn_parallel_for(n, pool_forward_samples, &work);
}

void nn_max_pooling2d_backward(const float *dy, const int32_t *argmax, size_t n, int h, int w,
                               int c, float *dx)
{
    pool_work work = {.dy = dy, .argmax_in = argmax, .dx = dx, .h = h, .w = w, .c = c};

    nn_parallel_for(n, pool_backward_samples, &work);
}
