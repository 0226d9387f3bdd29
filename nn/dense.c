/* dense.c: the fully connected layer, y = x * kernel + bias, through CBLAS sgemm. */
#include <cblas.h>
#include <string.h>

#include "layers.h"

void nn_dense_forward(const float *x, size_t n, int in, int out, const float *kernel,
                      const float *bias, float *y)
{
    /* Start every row from the bias so that sgemm can add the product with beta = 1. */
    for (size_t r = 0; r < n; r++)
        memcpy(y + r * (size_t)out, bias, (size_t)out * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, out, in, 1.0f, x, in,
                kernel, out, 1.0f, y, out);
}

void nn_dense_backward(const float *x, const float *dy, size_t n, int in, int out,
                       const float *kernel, float *dkernel, float *dbias, float *dx)
{
    /* dkernel[in, out] = x^T * dy */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, (int)n, 1.0f, x, in, dy,
                out, 0.0f, dkernel, out);

    /* dbias = column sums of dy, added in row order so the result never depends on threads. */
    memset(dbias, 0, (size_t)out * sizeof(float));
    for (size_t r = 0; r < n; r++) {
        const float *row = dy + r * (size_t)out;

        for (int j = 0; j < out; j++)
            dbias[j] += row[j];
    }

    /* dx[n, in] = dy * kernel^T */
    if (dx)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, in, out, 1.0f, dy, out,
                    kernel, out, 0.0f, dx, in);
}
