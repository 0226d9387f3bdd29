/* conv2d.c: 2-D convolution with valid padding and stride 1, as direct loops.
 *
 * The default model's layers are small (1 to 16 channels, 5x5 kernels). For them an
 * im2col matrix is large and its GEMM skinny (8 or 16 columns), so most of the time went
 * into copying patches and into the BLAS packing routines. The loops below instead
 * vectorise over groups of 16 (on AVX-512 CPUs) or 8 consecutive channels, which are
 * contiguous in NHWC data and in the Keras kernel order [kh, kw, in_c, out_c], and keep a
 * block of outputs in registers:
 *
 * - forward: one group of output channels of up to 8 neighbouring output pixels;
 * - weight gradient: one group of output channels of up to 8 consecutive (kx, in_c)
 *   kernel rows, summed over the pixels of one sample, then added to dkernel sample by
 *   sample;
 * - input gradient: 8 input channels of the inputs that up to 8 neighbouring output
 *   pixels reach through one kernel offset, with the kernel transposed to
 *   [kh, kw, out_c, in_c] so that those 8 channels are contiguous.
 *
 * Channel counts that are not a multiple of 8 leave a tail of channels, which scalar loops
 * handle. Every sum runs in a fixed order, so results do not depend on timing.
 */
#include <string.h>

#include "layers.h"

/* The vector helpers are always inlined, so no vector crosses a call boundary and the
 * baseline clone's ABI note about 32-byte vectors does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"

typedef float vec8 __attribute__((vector_size(32)));
typedef int ivec8 __attribute__((vector_size(32)));
typedef float vec16 __attribute__((vector_size(64)));
typedef int ivec16 __attribute__((vector_size(64)));

#define LANES 8
/* Maximum number of accumulators (pixels or kernel rows) one block keeps in registers. */
#define BLOCK 8

static inline __attribute__((always_inline)) vec8 load8(const float *p)
{
    vec8 v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void store8(float *p, vec8 v)
{
    memcpy(p, &v, sizeof v);
}

static inline __attribute__((always_inline)) vec8 relu8(vec8 v)
{
    const vec8 zero = {0};
    ivec8 keep = v > zero;

    return (vec8)(keep & (ivec8)v);
}

static inline __attribute__((always_inline)) vec16 load16(const float *p)
{
    vec16 v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void store16(float *p, vec16 v)
{
    memcpy(p, &v, sizeof v);
}

static inline __attribute__((always_inline)) vec16 relu16(vec16 v)
{
    const vec16 zero = {0};
    ivec16 keep = v > zero;

    return (vec16)(keep & (ivec16)v);
}

/* Whether to use groups of 16 channels (one AVX-512 register). Only the AVX-512 clone
 * runs on such CPUs, and elsewhere 16-lane vectors would be split into smaller ones and
 * spill the accumulators. Each output value is summed in the same order either way. */
static int wide_vectors(void)
{
#if NN_HAVE_SIMD_CLONES
    return __builtin_cpu_supports("x86-64-v4");
#else
    return 0;
#endif
}

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

/*** forward ***/

/* Defines forward_block##W: y at output pixels (oy, ox .. ox + pixels - 1), channels
 * oc .. oc + W - 1, of one sample. pixels is a constant after inlining, so acc stays in
 * registers. And forward_row##W: those channels along a whole output row. */
#define DEFINE_FORWARD(W)                                                                       \
    static inline __attribute__((always_inline)) void                                          \
    forward_block##W(const nn_conv2d_shape *s, const float *x, const float *kernel,            \
                     const float *bias, int relu, int oy, int ox, int oc, float *y,            \
                     const int pixels)                                                         \
    {                                                                                          \
        /* Locals, because the compiler cannot tell that the stores to y leave *s alone. */   \
        const int in_c = s->in_c, out_c = s->out_c, in_w = s->in_w;                            \
        const int kernel_h = s->kernel_h, kernel_w = s->kernel_w;                              \
        vec##W acc[BLOCK];                                                                     \
                                                                                               \
        for (int p = 0; p < pixels; p++)                                                       \
            acc[p] = load##W(bias + oc);                                                       \
        /* In NHWC the kernel_w * in_c inputs (kx, ci) of one window row are contiguous,    \
         * and so are the matching kernel rows, so one loop over j covers both. */             \
        for (int ky = 0; ky < kernel_h; ky++) {                                                \
            const float *xs = x + ((size_t)(oy + ky) * in_w + ox) * in_c;                      \
            const float *k = kernel + (size_t)ky * kernel_w * in_c * out_c + oc;               \
                                                                                               \
            for (int j = 0; j < kernel_w * in_c; j++) {                                        \
                vec##W kv = load##W(k + (size_t)j * out_c);                                    \
                                                                                               \
                for (int p = 0; p < pixels; p++)                                               \
                    acc[p] += xs[p * in_c + j] * kv;                                           \
            }                                                                                  \
        }                                                                                      \
        for (int p = 0; p < pixels; p++)                                                       \
            store##W(y + ((size_t)oy * s->out_w + ox + p) * out_c + oc,                        \
                     relu ? relu##W(acc[p]) : acc[p]);                                         \
    }                                                                                          \
                                                                                               \
    static inline __attribute__((always_inline)) void                                          \
    forward_row##W(const nn_conv2d_shape *s, const float *x, const float *kernel,              \
                   const float *bias, int relu, int oy, int oc, float *y)                      \
    {                                                                                          \
        int ox = 0;                                                                            \
                                                                                               \
        for (; ox + BLOCK <= s->out_w; ox += BLOCK)                                            \
            forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, BLOCK);                  \
        switch (s->out_w - ox) {                                                               \
        case 7: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 7); break;           \
        case 6: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 6); break;           \
        case 5: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 5); break;           \
        case 4: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 4); break;           \
        case 3: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 3); break;           \
        case 2: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 2); break;           \
        case 1: forward_block##W(s, x, kernel, bias, relu, oy, ox, oc, y, 1); break;           \
        default: break;                                                                        \
        }                                                                                      \
    }

DEFINE_FORWARD(8)
DEFINE_FORWARD(16)

/* Output channels from oc on (fewer than 8) of one pixel. */
static void forward_tail(const nn_conv2d_shape *s, const float *x, const float *kernel,
                         const float *bias, int relu, int oy, int ox, int oc, float *y)
{
    int in_c = s->in_c, out_c = s->out_c;

    for (; oc < out_c; oc++) {
        float sum = bias[oc];

        for (int ky = 0; ky < s->kernel_h; ky++)
            for (int kx = 0; kx < s->kernel_w; kx++) {
                const float *xs = x + ((size_t)(oy + ky) * s->in_w + ox + kx) * in_c;
                const float *k = kernel + (size_t)(ky * s->kernel_w + kx) * in_c * out_c + oc;

                for (int ci = 0; ci < in_c; ci++)
                    sum += xs[ci] * k[(size_t)ci * out_c];
            }
        y[((size_t)oy * s->out_w + ox) * out_c + oc] = relu && !(sum > 0.0f) ? 0.0f : sum;
    }
}

NN_SIMD_CLONES
static void forward_sample(const nn_conv2d_shape *s, const float *x, const float *kernel,
                           const float *bias, int relu, int wide, float *y)
{
    for (int oy = 0; oy < s->out_h; oy++) {
        int oc = 0;

        for (; wide && oc + 16 <= s->out_c; oc += 16)
            forward_row16(s, x, kernel, bias, relu, oy, oc, y);
        for (; oc + LANES <= s->out_c; oc += LANES)
            forward_row8(s, x, kernel, bias, relu, oy, oc, y);
        if (oc < s->out_c)
            for (int ox = 0; ox < s->out_w; ox++)
                forward_tail(s, x, kernel, bias, relu, oy, ox, oc, y);
    }
}

void nn_conv2d_forward(const nn_conv2d_shape *shape, const float *x, size_t n,
                       const float *kernel, const float *bias, nn_activation activation,
                       float *y)
{
    size_t in_size = (size_t)shape->in_h * shape->in_w * shape->in_c;
    size_t pixels = (size_t)shape->out_h * shape->out_w;
    int relu = activation == NN_ACT_RELU, wide = wide_vectors();

    for (size_t i = 0; i < n; i++) {
        float *sample_y = y + i * pixels * shape->out_c;

        forward_sample(shape, x + i * in_size, kernel, bias, relu, wide, sample_y);
        /* relu is fused above; linear needs nothing; sigmoid and tanh take one more pass. */
        if (!relu)
            nn_activation_forward(activation, sample_y, pixels, (size_t)shape->out_c);
    }
}

/*** weight gradient ***/

/* Defines kernel_grad_block##W: dkernel rows (ky, j0 .. j0 + rows - 1), where a row j is
 * kx * in_c + ci, channels oc .. oc + W - 1: the sum over one sample's output pixels of
 * x * dz, added to dkernel. Within one kernel row ky, the rows j of a pixel's window are
 * contiguous in x. And kernel_grad_rows##W: those channels for every row j of ky. */
#define DEFINE_KERNEL_GRAD(W)                                                                  \
    static inline __attribute__((always_inline)) void                                          \
    kernel_grad_block##W(const nn_conv2d_shape *s, const float *x, const float *dz, int ky,    \
                         int j0, int oc, float *dkernel, const int rows)                       \
    {                                                                                          \
        const int in_c = s->in_c, out_c = s->out_c, in_w = s->in_w;                            \
        const int out_h = s->out_h, out_w = s->out_w;                                          \
        vec##W acc[BLOCK];                                                                     \
                                                                                               \
        for (int r = 0; r < rows; r++)                                                         \
            acc[r] = (vec##W){0};                                                              \
        for (int oy = 0; oy < out_h; oy++)                                                     \
            for (int ox = 0; ox < out_w; ox++) {                                               \
                vec##W dzv = load##W(dz + ((size_t)oy * out_w + ox) * out_c + oc);             \
                const float *xs = x + ((size_t)(oy + ky) * in_w + ox) * in_c + j0;             \
                                                                                               \
                for (int r = 0; r < rows; r++)                                                 \
                    acc[r] += xs[r] * dzv;                                                     \
            }                                                                                  \
        for (int r = 0; r < rows; r++) {                                                       \
            float *target = dkernel + ((size_t)ky * s->kernel_w * in_c + j0 + r) * out_c + oc; \
                                                                                               \
            store##W(target, load##W(target) + acc[r]);                                        \
        }                                                                                      \
    }                                                                                          \
                                                                                               \
    static inline __attribute__((always_inline)) void                                          \
    kernel_grad_rows##W(const nn_conv2d_shape *s, const float *x, const float *dz, int ky,     \
                        int oc, float *dkernel)                                                \
    {                                                                                          \
        int row_count = s->kernel_w * s->in_c, j0 = 0;                                         \
                                                                                               \
        for (; j0 + BLOCK <= row_count; j0 += BLOCK)                                           \
            kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, BLOCK);                        \
        switch (row_count - j0) {                                                              \
        case 7: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 7); break;                 \
        case 6: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 6); break;                 \
        case 5: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 5); break;                 \
        case 4: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 4); break;                 \
        case 3: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 3); break;                 \
        case 2: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 2); break;                 \
        case 1: kernel_grad_block##W(s, x, dz, ky, j0, oc, dkernel, 1); break;                 \
        default: break;                                                                        \
        }                                                                                      \
    }

DEFINE_KERNEL_GRAD(8)
DEFINE_KERNEL_GRAD(16)

NN_SIMD_CLONES
static void kernel_grad_sample(const nn_conv2d_shape *s, const float *x, const float *dz,
                               int wide, float *dkernel)
{
    int row_count = s->kernel_w * s->in_c;
    int oc = 0;

    for (; wide && oc + 16 <= s->out_c; oc += 16)
        for (int ky = 0; ky < s->kernel_h; ky++)
            kernel_grad_rows16(s, x, dz, ky, oc, dkernel);
    for (; oc + LANES <= s->out_c; oc += LANES)
        for (int ky = 0; ky < s->kernel_h; ky++)
            kernel_grad_rows8(s, x, dz, ky, oc, dkernel);

    /* The channels after the last full group, one value at a time. */
    for (; oc < s->out_c; oc++)
        for (int ky = 0; ky < s->kernel_h; ky++)
            for (int j = 0; j < row_count; j++) {
                float sum = 0.0f;

                for (int oy = 0; oy < s->out_h; oy++)
                    for (int ox = 0; ox < s->out_w; ox++)
                        sum += x[((size_t)(oy + ky) * s->in_w + ox) * s->in_c + j] *
                               dz[((size_t)oy * s->out_w + ox) * s->out_c + oc];
                dkernel[((size_t)ky * row_count + j) * s->out_c + oc] += sum;
            }
}

/*** input gradient ***/

void nn_conv2d_transpose_kernel(const nn_conv2d_shape *s, const float *kernel, float *kernel_t)
{
    size_t taps = (size_t)s->kernel_h * s->kernel_w;

    for (size_t t = 0; t < taps; t++)
        for (int ci = 0; ci < s->in_c; ci++)
            for (int oc = 0; oc < s->out_c; oc++)
                kernel_t[(t * s->out_c + oc) * s->in_c + ci] =
                    kernel[(t * s->in_c + ci) * s->out_c + oc];
}

/* The output pixels whose window covers input row (or column) i: o = i - k for the
 * kernel offsets k in [*k_begin, *k_end). */
static void covering_offsets(int i, int kernel, int out, int *k_begin, int *k_end)
{
    *k_begin = i - (out - 1) > 0 ? i - (out - 1) : 0;
    *k_end = i + 1 < kernel ? i + 1 : kernel;
}

/* Adds the contributions of output pixels (oy, ox .. ox + pixels - 1) to input channels
 * ci .. ci + 7 of dx, one kernel offset at a time. For a fixed offset the pixels reach
 * distinct inputs, so the block can keep them in registers. */
static inline __attribute__((always_inline)) void
input_grad_block(const nn_conv2d_shape *s, const float *dz, const float *kernel_t, int oy,
                 int ox, int ci, float *dx, const int pixels)
{
    const int in_c = s->in_c, out_c = s->out_c, in_w = s->in_w;
    const int kernel_h = s->kernel_h, kernel_w = s->kernel_w;
    const float *dzs = dz + ((size_t)oy * s->out_w + ox) * out_c;

    for (int ky = 0; ky < kernel_h; ky++)
        for (int kx = 0; kx < kernel_w; kx++) {
            float *target = dx + ((size_t)(oy + ky) * in_w + ox + kx) * in_c + ci;
            const float *kt = kernel_t + (size_t)(ky * kernel_w + kx) * out_c * in_c + ci;
            vec8 acc[BLOCK];

            for (int p = 0; p < pixels; p++)
                acc[p] = load8(target + p * in_c);
            for (int oc = 0; oc < out_c; oc++) {
                vec8 kv = load8(kt + (size_t)oc * in_c);

                for (int p = 0; p < pixels; p++)
                    acc[p] += dzs[p * out_c + oc] * kv;
            }
            for (int p = 0; p < pixels; p++)
                store8(target + p * in_c, acc[p]);
        }
}

NN_SIMD_CLONES
static void input_grad_sample(const nn_conv2d_shape *s, const float *dz, const float *kernel_t,
                              float *dx)
{
    int in_c = s->in_c, out_c = s->out_c;
    int full = in_c / LANES * LANES;

    memset(dx, 0, (size_t)s->in_h * s->in_w * in_c * sizeof(float));
    for (int oy = 0; oy < s->out_h; oy++)
        for (int ci = 0; ci < full; ci += LANES) {
            int ox = 0;

            for (; ox + BLOCK <= s->out_w; ox += BLOCK)
                input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, BLOCK);
            switch (s->out_w - ox) {
            case 7: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 7); break;
            case 6: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 6); break;
            case 5: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 5); break;
            case 4: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 4); break;
            case 3: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 3); break;
            case 2: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 2); break;
            case 1: input_grad_block(s, dz, kernel_t, oy, ox, ci, dx, 1); break;
            default: break;
            }
        }

    /* The input channels after the last full group of 8, gathered one value at a time
     * from the output pixels whose window covers them. */
    for (int iy = 0; iy < s->in_h; iy++) {
        int ky_begin, ky_end;

        covering_offsets(iy, s->kernel_h, s->out_h, &ky_begin, &ky_end);
        for (int ix = 0; ix < s->in_w; ix++) {
            int kx_begin, kx_end;

            covering_offsets(ix, s->kernel_w, s->out_w, &kx_begin, &kx_end);
            for (int ci = full; ci < in_c; ci++) {
                float sum = 0.0f;

                for (int ky = ky_begin; ky < ky_end; ky++)
                    for (int kx = kx_begin; kx < kx_end; kx++) {
                        const float *dzs = dz + ((size_t)(iy - ky) * s->out_w + ix - kx) * out_c;
                        const float *kt = kernel_t + (size_t)(ky * s->kernel_w + kx) * out_c * in_c + ci;

                        for (int oc = 0; oc < out_c; oc++)
                            sum += dzs[oc] * kt[(size_t)oc * in_c];
                    }
                dx[((size_t)iy * s->in_w + ix) * in_c + ci] = sum;
            }
        }
    }
}

void nn_conv2d_backward(const nn_conv2d_shape *shape, const float *x, const float *y,
                        float *dy, size_t n, nn_activation activation, const float *kernel_t,
                        float *dkernel, float *dbias, float *dx)
{
    size_t in_size = (size_t)shape->in_h * shape->in_w * shape->in_c;
    size_t pixels = (size_t)shape->out_h * shape->out_w;
    size_t out_size = pixels * shape->out_c;
    size_t kernel_count = (size_t)shape->kernel_h * shape->kernel_w * shape->in_c * shape->out_c;
    int wide = wide_vectors();

    nn_activation_backward_bias(activation, y, dy, n * pixels, (size_t)shape->out_c, dbias);

    memset(dkernel, 0, kernel_count * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        kernel_grad_sample(shape, x + i * in_size, dy + i * out_size, wide, dkernel);
        if (dx)
            input_grad_sample(shape, dy + i * out_size, kernel_t, dx + i * in_size);
    }
}
