/* A tiny test harness: CHECK counts passes and failures, check_done prints
 * "N passed, N failed" and gives the exit status. */
#ifndef SL_TEST_CHECK_H
#define SL_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            check_passed++;                                                \
        } else {                                                           \
            check_failed++;                                                \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                   \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
        }                                                                  \
    } while (0)

/* |a - b| <= tol * max(1, |b|) */
#define CHECK_CLOSE(a, b, tol, what)                                                      \
    do {                                                                                  \
        double a_ = (a), b_ = (b);                                                        \
        CHECK(fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)), "%s: %.17g vs %.17g (tol %g)", \
              what, a_, b_, (double)(tol));                                               \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
