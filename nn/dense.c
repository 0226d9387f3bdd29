/* dense.c: the fully connected layer, y = f(x * kernel + bias), through CBLAS sgemm. */
#include <cblas.h>
#include <string.h>

#include "layers.h"

void nn_dense_forward(const float *x, size_t n, int in, int out, const float *kernel,
                      const float *bias, nn_activation activation, float *y)
{
    /* y starts as the bias and sgemm adds x * kernel with beta = 1: OpenBLAS then skips
     * its separate pass that clears y for beta = 0, and no pass adds the bias after. */
    for (size_t r = 0; r < n; r++)
        memcpy(y + r * (size_t)out, bias, (size_t)out * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, out, in, 1.0f, x, in,
                kernel, out, 1.0f, y, out);
    nn_activation_forward(activation, y, n, (size_t)out);
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
