/* Iteration over the elements of a broadcast binary operation. */
#ifndef SL_BROADCAST_H
#define SL_BROADCAST_H
#include "graph_internal.h"

/* Element strides of an input of shape (ra, sa) seen in the out shape (r, so):
 * 0 along broadcast axes. */
static inline void sl__bcast_strides(int r, const int64_t *so, int ra, const int64_t *sa, int64_t *st)
{
    int64_t s = 1;
    for (int i = r - 1; i >= 0; --i) {
        int j = i - (r - ra);
        int64_t d = j >= 0 ? sa[j] : 1;
        st[i] = (d == 1 && so[i] != 1) ? 0 : s;
        s *= d;
    }
}

/* Calls BODY(ia, ib, io) for every out element io with input offsets ia, ib,
 * iterating the innermost axis in a tight loop. */
#define SL_BCAST_LOOP(r, so, sta, stb, ...)                                             \
    do {                                                                                \
        int r_ = (r);                                                                   \
        int64_t inner_ = r_ ? (so)[r_ - 1] : 1;                                         \
        int64_t ia_step_ = r_ ? (sta)[r_ - 1] : 0, ib_step_ = r_ ? (stb)[r_ - 1] : 0;    \
        int64_t idx_[SL_MAX_RANK] = {0};                                                \
        int64_t outer_ = 1;                                                             \
        for (int d_ = 0; d_ < r_ - 1; ++d_) outer_ *= (so)[d_];                         \
        int64_t io = 0;                                                                 \
        for (int64_t o_ = 0; o_ < outer_; ++o_) {                                       \
            int64_t ia0_ = 0, ib0_ = 0;                                                 \
            for (int d_ = 0; d_ < r_ - 1; ++d_) {                                       \
                ia0_ += idx_[d_] * (sta)[d_];                                           \
                ib0_ += idx_[d_] * (stb)[d_];                                           \
            }                                                                           \
            for (int64_t t_ = 0; t_ < inner_; ++t_, ++io) {                             \
                int64_t ia = ia0_ + t_ * ia_step_, ib = ib0_ + t_ * ib_step_;            \
                __VA_ARGS__;                                                            \
            }                                                                           \
            for (int d_ = r_ - 2; d_ >= 0; --d_) {                                      \
                if (++idx_[d_] < (so)[d_]) break;                                       \
                idx_[d_] = 0;                                                           \
            }                                                                           \
        }                                                                               \
    } while (0)

#endif
