/* conv2d.c: 2-D convolution with valid padding and stride 1, as im2col plus one sgemm.
 *
 * The whole batch's patches go into one matrix of n * out_h * out_w rows, so a single
 * sgemm per pass does the arithmetic on large, BLAS-friendly matrices. In NHWC layout the
 * kernel_w * in_c values of one patch row are contiguous in the input, so building a
 * patch is kernel_h memcpy calls, and the product comes out already in NHWC order.
 */
#include <cblas.h>
#include <string.h>

#include "layers.h"

void nn_conv2d_shape_init(nn_conv2d_shape *shape, int in_h, int in_w, int in_c, int kernel_size,
                          int filters)
{
    shape->in_h = in_h;
    shape->in_w = in_w;
    shape->in_c = in_c;
    shape->kernel_h = kernel_size;
    shape->kernel_w = kernel_size;
    shape->out_h = in_h - kernel_size + 1;
    shape->out_w = in_w - kernel_size + 1;
    shape->out_c = filters;
}

static size_t patch_size(const nn_conv2d_shape *shape)
{
    return (size_t)shape->kernel_h * (size_t)shape->kernel_w * (size_t)shape->in_c;
}

size_t nn_conv2d_cols_size(const nn_conv2d_shape *shape)
{
    return (size_t)shape->out_h * (size_t)shape->out_w * patch_size(shape);
}

typedef struct {
    const nn_conv2d_shape *shape;
    const float *x;
    float *cols;
    float *dx;
    const float *dcols;
} conv_work;

static void im2col_samples(void *context, int part, size_t begin, size_t end)
{
    const conv_work *work = context;
    const nn_conv2d_shape *s = work->shape;
    size_t in_size = (size_t)s->in_h * s->in_w * s->in_c;
    size_t row_floats = (size_t)s->kernel_w * s->in_c; /* one kernel row of a patch */
    size_t input_row = (size_t)s->in_w * s->in_c;       /* one image row */

    for (size_t i = begin; i < end; i++) {
        const float *x = work->x + i * in_size;
        float *col = work->cols + i * nn_conv2d_cols_size(s);

        for (int oy = 0; oy < s->out_h; oy++)
            for (int ox = 0; ox < s->out_w; ox++)
                for (int ky = 0; ky < s->kernel_h; ky++) {
                    const float *source = x + (size_t)(oy + ky) * input_row + (size_t)ox * s->in_c;

                    /* A loop, not memcpy: rows are 5 to 40 floats, too short for a call. */
                    for (size_t j = 0; j < row_floats; j++)
                        col[j] = source[j];
                    col += row_floats;
                }
    }
}

static void col2im_samples(void *context, int part, size_t begin, size_t end)
{
    const conv_work *work = context;
    const nn_conv2d_shape *s = work->shape;
    size_t in_size = (size_t)s->in_h * s->in_w * s->in_c;
    size_t row_floats = (size_t)s->kernel_w * s->in_c;
    size_t input_row = (size_t)s->in_w * s->in_c;

    for (size_t i = begin; i < end; i++) {
        float *dx = work->dx + i * in_size;
        const float *dcol = work->dcols + i * nn_conv2d_cols_size(s);

        memset(dx, 0, in_size * sizeof(float));
        for (int oy = 0; oy < s->out_h; oy++)
            for (int ox = 0; ox < s->out_w; ox++)
                for (int ky = 0; ky < s->kernel_h; ky++) {
                    float *target = dx + (size_t)(oy + ky) * input_row + (size_t)ox * s->in_c;

                    for (size_t j = 0; j < row_floats; j++)
                        target[j] += dcol[j];
                    dcol += row_floats;
                }
    }
}

void nn_conv2d_forward(const nn_conv2d_shape *shape, const float *x, size_t n,
                       const float *kernel, const float *bias, nn_activation activation,
                       float *cols, float *y)
{
    conv_work work = {.shape = shape, .x = x, .cols = cols};
    size_t rows = n * (size_t)shape->out_h * shape->out_w;
    int k = (int)patch_size(shape);

    nn_parallel_for(n, im2col_samples, &work);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, shape->out_c, k, 1.0f,
                cols, k, kernel, shape->out_c, 0.0f, y, shape->out_c);
    nn_bias_activation_forward(activation, bias, rows, (size_t)shape->out_c, y);
}

void nn_conv2d_backward(const nn_conv2d_shape *shape, const float *cols, const float *y,
                        float *dy, size_t n, nn_activation activation, const float *kernel,
                        float *dkernel, float *dbias, float *dcols, float *dx)
{
    size_t rows = n * (size_t)shape->out_h * shape->out_w;
    int k = (int)patch_size(shape);
    int out_c = shape->out_c;

    nn_activation_backward_bias(activation, y, dy, rows, (size_t)out_c, dbias);

    /* dkernel[k, out_c] = cols^T * dz */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, out_c, (int)rows, 1.0f, cols, k, dy,
                out_c, 0.0f, dkernel, out_c);

    if (dx) {
        conv_work work = {.shape = shape, .dx = dx, .dcols = dcols};

        /* dcols[rows, k] = dz * kernel^T, then every patch value is added back where it
         * came from. */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, k, out_c, 1.0f, dy,
                    out_c, kernel, out_c, 0.0f, dcols, k);
        nn_parallel_for(n, col2im_samples, &work);
    }
}
