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

NN_SIMD_CLONES
static void pool_forward_samples(void *context, int part, size_t begin, size_t end)
{
    const pool_work *work = context;
    int h = work->h, w = work->w, c = work->c;
    int out_h = h / NN_POOL_SIZE, out_w = w / NN_POOL_SIZE;
    size_t in_size = (size_t)h * w * c, out_size = (size_t)out_h * out_w * c;
    size_t row = (size_t)w * c;

    for (size_t i = begin; i < end; i++) {
        const float *x = work->x + i * in_size;
        float *y = work->y + i * out_size;
        int32_t *argmax = work->argmax + i * out_size;

        for (int oy = 0; oy < out_h; oy++)
            for (int ox = 0; ox < out_w; ox++) {
                /* The window's four inputs in row-major order; with the channel loop
                 * innermost, the compiler vectorises over channels. */
                int32_t top_left = (int32_t)((size_t)(2 * oy) * row + (size_t)(2 * ox) * c);
                const float *a = x + top_left, *b = a + c, *d = a + row, *e = d + c;

                for (int ch = 0; ch < c; ch++) {
                    /* The first maximum in row-major window order wins a tie, as in
                     * TensorFlow: later inputs replace it only when strictly larger. */
                    float best = a[ch];
                    int32_t at = top_left + ch;

                    if (b[ch] > best) {
                        best = b[ch];
                        at = top_left + c + ch;
                    }
                    if (d[ch] > best) {
                        best = d[ch];
                        at = top_left + (int32_t)row + ch;
                    }
                    if (e[ch] > best) {
                        best = e[ch];
                        at = top_left + (int32_t)row + c + ch;
                    }
                    y[ch] = best;
                    argmax[ch] = at;
                }
                y += c;
                argmax += c;
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
