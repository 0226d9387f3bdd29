/* check.h: the small test harness of nnscope's C unit tests.
 *
 * A test file defines static void test_*(void) functions, lists them in main() with
 * RUN(test_name), and returns check_summary(). Each failed CHECK prints the file, line
 * and condition, marks the running test as failed and goes on, so that one run shows
 * every broken check. The summary line "N passed, N failed" counts tests, not checks.
 */
#ifndef NNSCOPE_CHECK_H
#define NNSCOPE_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_current_failed;
static const char *check_current_name;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,      \
                    check_current_name, #cond);                                       \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define CHECK_INT_EQ(actual, expected)                                                \
    do {                                                                              \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);   \
        if (check_a_ != check_e_) {                                                   \
            fprintf(stderr, "%s:%d: %s: %s is %lld, expected %lld\n", __FILE__,        \
                    __LINE__, check_current_name, #actual, check_a_, check_e_);       \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define CHECK_STR_EQ(actual, expected)                                                \
    do {                                                                              \
        const char *check_a_ = (actual), *check_e_ = (expected);                      \
        if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {              \
            fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", __FILE__,    \
                    __LINE__, check_current_name, #actual,                            \
                    check_a_ ? check_a_ : "(null)", check_e_ ? check_e_ : "(null)");  \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

/* Passes when |actual - expected| <= tolerance * max(1, |expected|). */
#define CHECK_NEAR(actual, expected, tolerance)                                       \
    do {                                                                              \
        double check_a_ = (actual), check_e_ = (expected);                            \
        double check_scale_ = fabs(check_e_) > 1.0 ? fabs(check_e_) : 1.0;            \
        if (!(fabs(check_a_ - check_e_) <= (tolerance) * check_scale_)) {             \
            fprintf(stderr, "%s:%d: %s: %s is %.9g, expected %.9g (tolerance %g)\n",   \
                    __FILE__, __LINE__, check_current_name, #actual, check_a_,        \
                    check_e_, (double)(tolerance));                                   \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define RUN(test)                                                                     \
    do {                                                                              \
        check_current_name = #test;                                                   \
        check_current_failed = 0;                                                     \
        test();                                                                       \
        if (check_current_failed) {                                                   \
            check_failed++;                                                           \
            printf("FAIL %s\n", #test);                                               \
        } else {                                                                      \
            check_passed++;                                                           \
            printf("ok   %s\n", #test);                                               \
        }                                                                             \
        fflush(stdout);                                                               \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif /* NNSCOPE_CHECK_H */
