/* rng.c: seeded random streams (xoshiro256**, seeded through splitmix64).
 *
 * xoshiro256** and splitmix64 are by David Blackman and Sebastiano Vigna
 * (https://prng.di.unimi.it/). Each nn_stream gets its own state derived from the user's
 * seed and the stream's number, so draws made for one purpose never shift another's.
 */
#include "layers.h"

static uint64_t splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotate_left(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void nn_rng_seed(nn_rng *rng, uint64_t seed, nn_stream stream)
{
    /* Mixing the stream number in through a second splitmix round keeps streams of
     * neighbouring seeds (42 and 43) unrelated as well. */
    uint64_t x = seed;
    uint64_t mixed = splitmix64_next(&x) ^ (0xd1b54a32d192ed03ULL * ((uint64_t)stream + 1));

    for (int i = 0; i < 4; i++)
        rng->state[i] = splitmix64_next(&mixed);
}

uint64_t nn_rng_next(nn_rng *rng)
{
    uint64_t *s = rng->state;
    uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotate_left(s[3], 45);
    return result;
}

double nn_rng_uniform(nn_rng *rng)
{
    /* The top 53 bits fill a double's mantissa exactly. */
    return (double)(nn_rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t nn_rng_below(nn_rng *rng, uint64_t n)
{
    /* Rejection sampling: draws in the incomplete last block of size n are redrawn, so
     * every value in [0,n) is equally likely. */
    uint64_t limit, r;

    if (n <= 1)
        return 0;
    limit = UINT64_MAX - UINT64_MAX % n;
    do {
        r = nn_rng_next(rng);
    } while (r >= limit);
    return r % n;
}

void nn_rng_seed_indexed(nn_rng *rng, uint64_t seed, nn_stream stream, uint64_t index)
{
    /* splitmix64 of the index scatters neighbouring indices across the seed space before
     * nn_rng_seed mixes them with the stream number. */
    uint64_t x = index;

    nn_rng_seed(rng, seed ^ splitmix64_next(&x), stream);
}
