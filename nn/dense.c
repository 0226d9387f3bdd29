/* dense.c: the fully connected layer, y = f(x * kernel + bias), through CBLAS sgemm. */
#include <cblas.h>

#include "layers.h"

void nn_dense_forward(const float *x, size_t n, int in, int out, const float *kernel,
                      const float *bias, nn_activation activation, float *y)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, out, in, 1.0f, x, in,
                kernel, out, 0.0f, y, out);
    nn_bias_activation_forward(activation, bias, n, (size_t)out, y);
}

void nn_dense_backward(const float *x, const float *y, float *dy, size_t n, int in, int out,
                       nn_activation activation, const float *kernel, float *dkernel,
                       float *dbias, float *dx)
{
    nn_activation_backward_bias(activation, y, dy, n, (size_t)out, dbias);

    /* dkernel[in, out] = x^T * dz */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, (int)n, 1.0f, x, in, dy,
                out, 0.0f, dkernel, out);

    /* dx[n, in] = dz * kernel^T */
    if (dx)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, in, out, 1.0f, dy, out,
                    kernel, out, 0.0f, dx, in);
}
