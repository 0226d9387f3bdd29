/* gemm_peak.c: measures this machine's single-precision GEMM rate through OpenBLAS.
 *
 * Usage: gemm-peak [--threads N] [--size N] [--repeats N]
 *
 * Multiplies two N x N float matrices (default 2048) with cblas_sgemm, repeats it (default
 * 10 times after one warm-up call) and prints the best rate as JSON, counting 2*N^3
 * floating-point operations per call. bench/engine_vs_pytorch.py uses it as the ceiling
 * against which both engines' achieved GFLOP/s are read.
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int threads = 1, size = 2048, repeats = 10;
    float *a, *b, *c;
    double best = 1e30;
    size_t n;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--size") == 0)
            size = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--repeats") == 0)
            repeats = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "Usage: gemm-peak [--threads N] [--size N] [--repeats N]\n");
            return 2;
        }
    }
    if (threads < 1 || size < 1 || repeats < 1) {
        fprintf(stderr, "gemm-peak: threads, size and repeats must be positive\n");
        return 2;
    }

    n = (size_t)size * (size_t)size;
    a = malloc(n * sizeof *a);
    b = malloc(n * sizeof *b);
    c = malloc(n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "gemm-peak: out of memory for three %dx%d matrices\n", size, size);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        a[i] = (float)(i % 17) * 0.01f;
        b[i] = (float)(i % 13) * 0.02f;
    }
    openblas_set_num_threads(threads);

    /* The first call pays for thread start-up and page faults, so it is not timed. */
    for (int r = 0; r <= repeats; r++) {
        double started = now_seconds(), seconds;

        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0f, a, size,
                    b, size, 0.0f, c, size);
        seconds = now_seconds() - started;
        if (r > 0 && seconds < best)
            best = seconds;
    }

    printf("{\"threads\": %d, \"size\": %d, \"seconds\": %.6f, \"gflops\": %.3f, \"check\": %g}\n",
           threads, size, best, 2.0 * size * (double)size * size / best * 1e-9, (double)c[n / 2]);
    free(a);
    free(b);
    free(c);
    return 0;
}
