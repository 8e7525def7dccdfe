/* Names of the algebras found: the simple ideals from tables of real forms
 * (compact ones by dimension and rank, non-compact ones by dimension and
 * Killing signature), the centre from how it acts, and the isomorphic
 * classical forms a user may search for (so(2,2) = sl(2,R) + sl(2,R),
 * sp(4,R) = so(2,3), ...). */
#include "symmetry_internal.h"
#include "../analysis/lie_internal.h"

#include <ctype.h>
#include <stdlib.h>

/* One real form with up to four names; natural[i] is the n of the space the
 * i-th name acts on in its defining representation (so(p,q) on R^(p+q),
 * su(p,q) on C^(p+q) = R^2(p+q), sp(n) on H^n = R^4n, sp(2n,R) on R^2n):
 * when the algebra found is simple and acts on that R^n, that name comes
 * first.  A compact entry has a = rank; a non-compact one (a, b) = (nneg,
 * npos).  Names joined by "or" are forms the table cannot tell apart. */
typedef struct {
    int dim, a, b;
    const char *names[4];
    int natural[4];
} form;

static const form compact_forms[] = {
    {3, 1, 0, {"so(3)", "su(2)", "sp(1)"}, {3, 4, 4}},
    {8, 2, 0, {"su(3)"}, {6}},
    {10, 2, 0, {"so(5)", "sp(2)", "usp(4)"}, {5, 8, 4}},
    {14, 2, 0, {"g2"}, {7}},
    {15, 3, 0, {"so(6)", "su(4)"}, {6, 8}},
    {21, 3, 0, {"so(7) or sp(3)"}, {0}},
    {24, 4, 0, {"su(5)"}, {10}},
    {28, 4, 0, {"so(8)"}, {8}},
    {35, 5, 0, {"su(6)"}, {12}},
    {36, 4, 0, {"so(9) or sp(4)"}, {0}},
    {45, 5, 0, {"so(10)"}, {10}},
    {48, 6, 0, {"su(7)"}, {14}},
    {52, 4, 0, {"f4"}, {26}},
    {55, 5, 0, {"so(11) or sp(5)"}, {0}},
    {63, 7, 0, {"su(8)"}, {16}},
    {66, 6, 0, {"so(12)"}, {12}},
    {78, 6, 0, {"e6 or so(13) or sp(6)"}, {0}},
    {91, 7, 0, {"so(14)"}, {14}},
    {133, 7, 0, {"e7"}, {56}},
    {248, 8, 0, {"e8"}, {248}},
};

/* Every simple real form of dimension <= 15 is here (the real forms of A1,
 * A2, B2 = C2, G2, A3 = D3), with the exceptional ones the oracles give. */
static const form noncompact_forms[] = {
    {3, 1, 2, {"so(1,2)", "sl(2,R)", "su(1,1)", "sp(2,R)"}, {3, 2, 4, 2}},
    {6, 3, 3, {"so(1,3)", "sl(2,C)_R"}, {4, 4}},
    {8, 3, 5, {"sl(3,R)"}, {3}},
    {8, 4, 4, {"su(1,2)"}, {6}},
    {10, 6, 4, {"so(1,4)", "sp(1,1)"}, {5, 8}},
    {10, 4, 6, {"so(2,3)", "sp(4,R)"}, {5, 4}},
    {14, 6, 8, {"g2(2)"}, {7}},
    {15, 10, 5, {"so(1,5)", "su*(4)", "sl(2,H)"}, {6, 8, 8}},
    {15, 7, 8, {"so(2,4)", "su(2,2)"}, {6, 8}},
    {15, 6, 9, {"so(3,3)", "sl(4,R)"}, {6, 4}},
    {15, 9, 6, {"su(1,3)"}, {8}},
    {52, 36, 16, {"f4(-20)"}, {26}},
    {78, 52, 26, {"e6(-26)"}, {27}},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The simple real form of (dim, rank, signature), its name preferred for a
 * representation on R^n (n = 0: the first name). */
static const char *simple_name(int dim, int rank, int nneg, int npos, int n)
{
    const form *t = NULL;
    if (nneg == dim && npos == 0) {
        for (size_t i = 0; i < COUNT(compact_forms) && !t; ++i)
            if (compact_forms[i].dim == dim && compact_forms[i].a == rank) t = &compact_forms[i];
    } else {
        for (size_t i = 0; i < COUNT(noncompact_forms) && !t; ++i)
            if (noncompact_forms[i].dim == dim && noncompact_forms[i].a == nneg && noncompact_forms[i].b == npos)
                t = &noncompact_forms[i];
    }
    if (!t) return NULL;
    for (int k = 0; n > 0 && k < 4 && t->names[k]; ++k)
        if (t->natural[k] == n) return t->names[k];
    return t->names[0];
}

static void put(char *s, size_t cap, size_t *len, const char *fmt, const char *arg)
{
    if (*len >= cap) return;
    int k = snprintf(s + *len, cap - *len, fmt, arg);
    if (k > 0) *len += (size_t)k;
}

void sl__symmetry_name(sl_symmetry_result *r, int nid, const sl__ideal *id)
{
    char *s = r->name;
    size_t cap = sizeof r->name, len = 0;
    int d = r->d;
    r->iso_done = 0;
    const char *z = r->centre_kind == SL__ELEM_ELLIPTIC ? "u(1)" : "R";
    if (d == 0) {
        if (r->solver == SL_SYM_TRAINED && r->reason == SL_SYM_REASON_NONE)
            snprintf(s, cap, "none found (%s)", r->reason_text);
        else
            snprintf(s, cap, "trivial (no continuous symmetry)");
        return;
    }
    if (r->nzero == d && r->centre == d) {
        /* one generator: a rotation, a boost or dilation (so(1,1), real
         * eigenvalues), or a shear or a screw (R) */
        if (d == 1)
            snprintf(s, cap, "%s", r->centre_kind == SL__ELEM_HYPERBOLIC ? "so(1,1)" : z);
        else
            snprintf(s, cap, "abelian, dim %d", d);
        return;
    }
    int named = nid > 0;
    for (int i = 0; i < nid && named; ++i) {
        /* the representation's n picks the name only for a simple algebra */
        int nat = nid == 1 && r->centre == 0 ? r->n : 0;
        const char *nm = simple_name(id[i].dim, id[i].rank, id[i].nneg, id[i].npos, nat);
        if (!nm) named = 0;
        else put(s, cap, &len, i ? " + %s" : "%s", nm);
    }
    if (named) {
        for (int k = 0; k < r->centre; ++k) put(s, cap, &len, " + %s", z);
        return;
    }
    len = 0;
    if (r->centre == 0 && r->nzero == 0) {
        const char *nm = simple_name(d, r->rank, r->nneg, r->npos, r->n);
        if (nm) {
            snprintf(s, cap, "%s", nm);
            return;
        }
    }
    snprintf(s, cap, "dim %d, rank %d, Killing signature (%d, %d, %d)%s", d, r->rank, r->nneg, r->npos, r->nzero,
             r->compact ? ", compact" : "");
}

/* ---- isomorphic forms --------------------------------------------------------- */

/* Sums whose isomorphic forms are not term by term (the terms in the order
 * the names put them: larger ideals first, compact first, centre last). */
static const struct { const char *sum, *iso; } sum_forms[] = {
    {"so(3) + so(3)", "so(4), su(2) + su(2)"},
    {"so(1,2) + so(1,2)", "so(2,2), sl(2,R) + sl(2,R)"},
    {"so(3) + u(1)", "u(2), su(2) + u(1)"},
    {"su(3) + u(1)", "u(3)"},
    {"so(6) + u(1)", "u(4), su(4) + u(1)"},
    {"so(1,2) + u(1)", "u(1,1), sl(2,R) + u(1)"},
    {"so(1,2) + R", "gl(2,R), sl(2,R) + R"},
    {"sl(3,R) + R", "gl(3,R)"},
    {"u(1)", "so(2)"},
    {"so(1,1)", "R"},
};

/* The table entry holding the name nm (length len), or NULL. */
static const form *find_form(const char *nm, size_t len, int *which)
{
    for (int c = 0; c < 2; ++c) {
        const form *t = c ? noncompact_forms : compact_forms;
        size_t cnt = c ? COUNT(noncompact_forms) : COUNT(compact_forms);
        for (size_t i = 0; i < cnt; ++i)
            for (int k = 0; k < 4 && t[i].names[k]; ++k)
                if (strlen(t[i].names[k]) == len && strncmp(t[i].names[k], nm, len) == 0) {
                    *which = k;
                    return &t[i];
                }
    }
    return NULL;
}

void sl__symmetry_isomorphisms(const char *name, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < COUNT(sum_forms); ++i)
        if (strcmp(name, sum_forms[i].sum) == 0) {
            snprintf(out, cap, "%s", sum_forms[i].iso);
            return;
        }
    if (!strstr(name, " + ")) { /* one simple algebra: its other names */
        int which = 0;
        const form *t = find_form(name, strlen(name), &which);
        for (int k = 0; t && k < 4 && t->names[k]; ++k)
            if (k != which) put(out, cap, &len, len ? ", %s" : "%s", t->names[k]);
        return;
    }
    /* a sum: each term by its first other name, when any has one */
    int changed = 0;
    char buf[256];
    size_t bl = 0;
    buf[0] = 0;
    for (const char *p = name; *p;) {
        const char *e = strstr(p, " + ");
        size_t tl = e ? (size_t)(e - p) : strlen(p);
        int which = 0;
        const form *t = find_form(p, tl, &which);
        char term[64];
        snprintf(term, sizeof term, "%.*s", (int)(tl < 63 ? tl : 63), p);
        if (t && t->names[which == 0 ? 1 : 0] && !strstr(t->names[which == 0 ? 1 : 0], " or ")) {
            snprintf(term, sizeof term, "%s", t->names[which == 0 ? 1 : 0]);
            changed = 1;
        }
        put(buf, sizeof buf, &bl, bl ? " + %s" : "%s", term);
        p = e ? e + 3 : p + tl;
    }
    if (changed) snprintf(out, cap, "%s", buf);
}

/* ---- matching a name -------------------------------------------------------------- */

/* Canonical form of one term: lower case, no spaces, no "_r" (sl(2,C)_R is
 * sl(2,C) as a real algebra), so(p,q) with p <= q. */
static void canon_term(const char *t, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < cap; ++i)
        if (!isspace((unsigned char)t[i])) out[k++] = (char)tolower((unsigned char)t[i]);
    out[k] = 0;
    if (k >= 2 && strcmp(out + k - 2, "_r") == 0) out[k -= 2] = 0;
    char *lp = strchr(out, '('), *cm = lp ? strchr(lp, ',') : NULL, *rp = cm ? strchr(cm, ')') : NULL;
    if (!rp || rp[1]) return;
    char *e1, *e2;
    long p = strtol(lp + 1, &e1, 10), q = strtol(cm + 1, &e2, 10);
    if (e1 != cm || e2 != rp || e1 == lp + 1 || e2 == cm + 1 || p <= q) return;
    snprintf(lp + 1, cap - (size_t)(lp + 1 - out), "%ld,%ld)", q, p);
}

static int cmp_str(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

/* Canonical form of a name: its terms (split at '+') canonical and sorted. */
static void canon(const char *name, size_t len, char *out, size_t cap)
{
    char terms[16][64];
    int nt = 0;
    for (size_t i = 0; i <= len && nt < 16;) {
        size_t j = i;
        while (j < len && name[j] != '+') ++j;
        canon_term(name + i, j - i, terms[nt++], sizeof terms[0]);
        i = j + 1;
    }
    qsort(terms, (size_t)nt, sizeof terms[0], cmp_str);
    size_t k = 0;
    out[0] = 0;
    for (int t = 0; t < nt; ++t) put(out, cap, &k, t ? "+%s" : "%s", terms[t]);
}

int sl_symmetry_result_is(const sl_symmetry_result *r, const char *name)
{
    if (!r || !name || !name[0] || strlen(name) > 200) return 0;
    char want[256], have[256];
    canon(name, strlen(name), want, sizeof want);
    canon(r->name, strlen(r->name), have, sizeof have);
    if (strcmp(want, have) == 0) return 1;
    const char *iso = sl_symmetry_result_isomorphisms(r);
    for (const char *p = iso; *p;) {
        const char *e = strstr(p, ", ");
        size_t l = e ? (size_t)(e - p) : strlen(p);
        canon(p, l, have, sizeof have);
        if (strcmp(want, have) == 0) return 1;
        p = e ? e + 2 : p + l;
    }
    return 0;
}
