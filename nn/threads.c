/* threads.c: the engine's thread pool.
 *
 * The engine parallelises by cutting each batch into one contiguous part per thread
 * (see propagation.c), so BLAS runs single-threaded inside each part: OpenBLAS's own
 * threads would only compete with the pool for the same cores. Passes of large
 * dense-only models are the exception: they run as one part and give OpenBLAS the
 * threads (see split_pass in propagation.c). The pool's workers
 * sleep on a condition variable between loops, because starting threads for every batch
 * would cost more than the work on small models. Parts are cut by arithmetic alone, so
 * the same count and thread count always give the same parts.
 */
#include <cblas.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "layers.h"

/* Loops shorter than this run on the calling thread: waking workers costs more. */
#define NN_PARALLEL_MIN_COUNT 2

static struct {
    /* Held by the thread that hands out a loop, so that loops started by two application
     * threads at once run one after the other instead of mixing their parts. */
    pthread_mutex_t caller_lock;
    pthread_mutex_t lock;
    pthread_cond_t work_ready, work_done;
    pthread_t workers[NN_MAX_THREADS];
    int n_workers;        /* threads started besides the caller */
    int threads;          /* parts per loop, including the caller's */
    unsigned long generation; /* incremented for every loop handed to the workers */
    int pending;          /* workers still running the current loop */
    nn_parallel_body body;
    void *context;
    size_t count;
    int parts;
} pool = {
    .caller_lock = PTHREAD_MUTEX_INITIALIZER,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .work_ready = PTHREAD_COND_INITIALIZER,
    .work_done = PTHREAD_COND_INITIALIZER,
    .threads = 0,
};

/* Set on a thread while it runs a part, so that a parallel loop nested inside a part
 * runs inline instead of waiting for workers that are busy with the outer loop. */
static _Thread_local int inside_part;

static void part_range(size_t count, int parts, int part, size_t *begin, size_t *end)
{
    *begin = count * (size_t)part / (size_t)parts;
    *end = count * (size_t)(part + 1) / (size_t)parts;
}

static void *worker_main(void *arg)
{
    int part = (int)(intptr_t)arg;
    unsigned long seen = 0;

    pthread_mutex_lock(&pool.lock);
    for (;;) {
        size_t begin, end;

        while (pool.generation == seen)
            pthread_cond_wait(&pool.work_ready, &pool.lock);
        seen = pool.generation;
        if (part >= pool.parts) {
            /* This loop needs fewer parts than there are workers. */
            continue;
        }
        pthread_mutex_unlock(&pool.lock);

        part_range(pool.count, pool.parts, part, &begin, &end);
        inside_part = 1;
        if (begin < end)
            pool.body(pool.context, part, begin, end);
        inside_part = 0;

        pthread_mutex_lock(&pool.lock);
        if (--pool.pending == 0)
            pthread_cond_signal(&pool.work_done);
    }
    return NULL;
}

/* Starts workers until there are threads - 1 of them. Workers are never stopped: a lower
 * thread count only gives them no part. */
static void pool_grow(int threads)
{
    while (pool.n_workers < threads - 1) {
        /* Part 0 is the caller's, so worker k runs part k + 1. */
        intptr_t part = pool.n_workers + 1;

        if (pthread_create(&pool.workers[pool.n_workers], NULL, worker_main, (void *)part) != 0)
            break;
        pthread_detach(pool.workers[pool.n_workers]);
        pool.n_workers++;
    }
}

static int online_cores(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (cores < 1)
        return 1;
    if (cores > NN_MAX_THREADS)
        return NN_MAX_THREADS;
    return (int)cores;
}

void nn_set_threads(int threads)
{
    if (threads <= 0)
        threads = online_cores();
    if (threads > NN_MAX_THREADS)
        threads = NN_MAX_THREADS;

    openblas_set_num_threads(1);
    pthread_mutex_lock(&pool.lock);
    pool_grow(threads);
    /* When a worker could not start, the loops still cover everything with fewer parts. */
    pool.threads = pool.n_workers + 1 < threads ? pool.n_workers + 1 : threads;
    pthread_mutex_unlock(&pool.lock);
}

int nn_get_threads(void)
{
    if (pool.threads == 0)
        nn_set_threads(0);
    return pool.threads;
}

int nn_parallel_parts(size_t count)
{
    int threads = inside_part ? 1 : nn_get_threads();

    if (count < NN_PARALLEL_MIN_COUNT)
        return 1;
    return (size_t)threads < count ? threads : (int)count;
}

void nn_parallel_for(size_t count, nn_parallel_body body, void *context)
{
    int parts = nn_parallel_parts(count);
    size_t begin, end;

    if (parts <= 1) {
        if (count > 0)
            body(context, 0, 0, count);
        return;
    }

    pthread_mutex_lock(&pool.caller_lock);
    pthread_mutex_lock(&pool.lock);
    pool.body = body;
    pool.context = context;
    pool.count = count;
    pool.parts = parts;
    pool.pending = parts - 1;
    pool.generation++;
    pthread_cond_broadcast(&pool.work_ready);
    pthread_mutex_unlock(&pool.lock);

    part_range(count, parts, 0, &begin, &end);
    inside_part = 1;
    body(context, 0, begin, end);
    inside_part = 0;

    pthread_mutex_lock(&pool.lock);
    while (pool.pending > 0)
        pthread_cond_wait(&pool.work_done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
    pthread_mutex_unlock(&pool.caller_lock);
}
