/* layers.h: the engine's layer kernels, optimizers and thread pool (internal to nn/).
 *
 * These functions work on plain float arrays so that tests can check each one on its own.
 * Layout: a batch of n samples is stored sample after sample; an image is (h, w, c) with
 * the channel varying fastest (NHWC, as Keras stores it). A dense kernel is [in, out] and a
 * conv kernel is [kh, kw, in_c, out_c], both row-major, which is also Keras order, so
 * weights never need reordering for display or saving.
 */
#ifndef NN_LAYERS_H
#define NN_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#include "nn.h"

/* Compiles a hot loop several times, for AVX-512 (x86-64-v4), AVX2 with FMA (x86-64-v3)
 * and the x86-64 baseline, and picks one at load time for the CPU it runs on (GCC
 * function multiversioning through an ifunc). The package stays portable without
 * -march=native. A given CPU always gets the same version, so runs on one machine stay
 * bit-identical, but results can differ in the last bits between CPUs (FMA contracts
 * a * b + c into one rounding). On other architectures and compilers it is empty.
 * NOTE: the tests run the AVX-512 version, and the AVX2 one when run under valgrind
 * (which hides AVX-512); the baseline version is compiled but has not been run. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define NN_HAVE_SIMD_CLONES 1
#define NN_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NN_HAVE_SIMD_CLONES 0
#define NN_SIMD_CLONES
#endif

/*** threads ***/

#define NN_MAX_THREADS 64

/* Calls body(context, part, begin, end) for part = 0 .. nn_parallel_parts(count) - 1 on
 * disjoint, contiguous ranges [begin, end) that cover [0, count), on the engine's threads.
 * The ranges depend only on count and the thread count, and each call must write only the
 * outputs of its own range, so results never depend on timing. Called from inside a part
 * of a loop that was split, it runs the whole range inline as part 0. */
typedef void (*nn_parallel_body)(void *context, int part, size_t begin, size_t end);
void nn_parallel_for(size_t count, nn_parallel_body body, void *context);
/* Returns the number of parts nn_parallel_for(count, ...) would use from this thread. */
int nn_parallel_parts(size_t count);

/*** activation ***/

/* Replaces each of n rows of width values z with f(z). Softmax works per row. */
void nn_activation_forward(nn_activation activation, float *values, size_t n, size_t width);
/* Replaces grad = dL/dy with dL/dz, given the output y = f(z). Every supported
 * activation's derivative is a function of its output, so z need not be kept. y and grad
 * must not overlap. */
void nn_activation_backward(nn_activation activation, const float *y, float *grad, size_t n,
                            size_t width);

/* Turns dy (dL/dy) into dL/dz in place, given the output y = f(z + bias), and writes the
 * bias gradient, the column sums of dL/dz. Softmax is not allowed here: the output layer's
 * softmax is fused with the loss, whose gradient is already dL/dz. */
void nn_activation_backward_bias(nn_activation activation, const float *y, float *dy, size_t n,
                                 size_t width, float *dbias);

/*** dense ***/

/* y[n, out] = f(x[n, in] * kernel[in, out] + bias[out]) for the activation f. */
void nn_dense_forward(const float *x, size_t n, int in, int out, const float *kernel,
                      const float *bias, nn_activation activation, float *y);
/* Overwrites dkernel and dbias with the gradients summed over the batch and, when dx is
 * not NULL, writes dx[n, in]. y is the forward output and dy = dL/dy, which is overwritten
 * with dL/dz (for the output layer pass NN_ACT_LINEAR and dy = dL/dlogits). */
void nn_dense_backward(const float *x, const float *y, float *dy, size_t n, int in, int out,
                       nn_activation activation, const float *kernel, float *dkernel,
                       float *dbias, float *dx);

/*** conv2d (valid padding, stride 1) ***/

typedef struct {
    int in_h, in_w, in_c;
    int kernel_h, kernel_w;
    int out_h, out_w, out_c;
} nn_conv2d_shape;

void nn_conv2d_shape_init(nn_conv2d_shape *shape, int in_h, int in_w, int in_c, int kernel_size,
                          int filters);
/* y[n, out_h, out_w, out_c] = f(x * kernel + bias) for x[n, in_h, in_w, in_c]. */
void nn_conv2d_forward(const nn_conv2d_shape *shape, const float *x, size_t n,
                       const float *kernel, const float *bias, nn_activation activation,
                       float *y);
/* Writes kernel [kh, kw, in_c, out_c] as kernel_t [kh, kw, out_c, in_c], the order the
 * input gradient reads. */
void nn_conv2d_transpose_kernel(const nn_conv2d_shape *shape, const float *kernel,
                                float *kernel_t);
/* Overwrites dkernel and dbias with the gradients summed over the n samples, and dy with
 * dL/dz. x and y are the forward input and output. When dx is not NULL it receives
 * dx[n, in_h, in_w, in_c], computed from kernel_t (see nn_conv2d_transpose_kernel), which
 * may be NULL otherwise. */
void nn_conv2d_backward(const nn_conv2d_shape *shape, const float *x, const float *y,
                        float *dy, size_t n, nn_activation activation, const float *kernel_t,
                        float *dkernel, float *dbias, float *dx);

/*** max_pooling2d (2x2 window, stride 2, valid padding) ***/

#define NN_POOL_SIZE 2

/* argmax receives, for every output value, the index within the sample's input that won. */
void nn_max_pooling2d_forward(const float *x, size_t n, int h, int w, int c, float *y,
                              int32_t *argmax);
void nn_max_pooling2d_backward(const float *dy, const int32_t *argmax, size_t n, int h, int w,
                               int c, float *dx);

/*** dropout (inverted: kept values are scaled by 1 / (1 - rate) during training) ***/

/* Fills mask with 0 or 1 / (1 - rate) per value, drawing from rng. */
void nn_dropout_mask(nn_rng *rng, double rate, size_t count, float *mask);
/* y = x * mask; dx = dy * mask. Either may work in place. */
void nn_dropout_apply(const float *x, const float *mask, size_t count, float *y);

/*** loss ***/

/* Softmax cross-entropy on logits[n, classes], computed through log-sum-exp so that large
 * logits never overflow. Writes probs (may be NULL) and dlogits (may be NULL) as the
 * gradient of the mean loss, and returns the summed (not mean) loss. correct (may be NULL)
 * receives the number of rows whose largest logit is the label; ties go to the lowest
 * class. */
double nn_softmax_cross_entropy(const float *logits, const uint8_t *labels, size_t n,
                                int classes, float *probs, float *dlogits, size_t *correct);
/* The same for n rows that are part of a batch of batch_size rows: dlogits is the
 * gradient of the mean loss over the whole batch. */
double nn_softmax_cross_entropy_rows(const float *logits, const uint8_t *labels, size_t n,
                                     int classes, size_t batch_size, float *probs,
                                     float *dlogits, size_t *correct);

/*** optimizers ***/

#define NN_MOMENTUM 0.9
#define NN_ADAM_BETA1 0.9
#define NN_ADAM_BETA2 0.999
#define NN_ADAM_EPSILON 1e-7

/* w -= lr * g */
void nn_sgd_step(float *weights, const float *grads, size_t count, double learning_rate);
/* velocity = 0.9 * velocity - lr * g; w += velocity (Keras SGD with momentum=0.9). */
void nn_momentum_step(float *weights, const float *grads, float *velocity, size_t count,
                      double learning_rate);
/* Adam as Keras computes it, with step the 1-based update number:
 * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr * sqrt(1 - b2^step) / (1 - b1^step) * m / (sqrt(v) + eps). */
void nn_adam_step(float *weights, const float *grads, float *m, float *v, size_t count,
                  double learning_rate, long step);

/*** initialisation ***/

/* Glorot (Xavier) uniform: U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)). */
void nn_init_glorot_uniform(nn_rng *rng, float *values, size_t count, int fan_in, int fan_out);
/* Variance scaling, scale 1, fan-in mode, truncated normal: N(0, s^2) redrawn outside
 * two standard deviations, with s = sqrt(1 / fan_in) / 0.87962566103423978 so that the
 * truncated distribution has variance 1 / fan_in (the constant TensorFlow uses). */
void nn_init_truncated_normal_fan_in(nn_rng *rng, float *values, size_t count, int fan_in);

/*** random streams ***/

/* Seeds rng for draw number index of stream (for example the shuffle of epoch 3), so each
 * epoch or batch can be reproduced without replaying the draws before it. */
void nn_rng_seed_indexed(nn_rng *rng, uint64_t seed, nn_stream stream, uint64_t index);

#endif /* NN_LAYERS_H */
