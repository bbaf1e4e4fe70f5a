// See optrepl_block in CKernels.h: the arithmetic of fused expressions on blocks, vectorized
// for the CPU at hand, with the same IEEE operation per element as the scalar code.

#include "CKernels.h"
#include "pragmas.h"
#include <math.h>

#define LOOP(expr) for (long i = 0; i < n; i++) o[i] = (expr)

OPTREPL_CLONES
void optrepl_block(int op, long n, const double *restrict a, double as, const double *restrict b, double bs,
                   double *restrict o) {
    switch (op) {
    case OPTREPL_ADD:
        if (a && b) LOOP(a[i] + b[i]); else if (a) LOOP(a[i] + bs); else LOOP(as + b[i]);
        break;
    case OPTREPL_SUBTRACT:
        if (a && b) LOOP(a[i] - b[i]); else if (a) LOOP(a[i] - bs); else LOOP(as - b[i]);
        break;
    case OPTREPL_MULTIPLY:
        if (a && b) LOOP(a[i] * b[i]); else if (a) LOOP(a[i] * bs); else LOOP(as * b[i]);
        break;
    case OPTREPL_DIVIDE:
        if (a && b) LOOP(a[i] / b[i]); else if (a) LOOP(a[i] / bs); else LOOP(as / b[i]);
        break;
    case OPTREPL_SQUARE:
        LOOP(a[i] * a[i]);
        break;
    case OPTREPL_SQRT:
        LOOP(sqrt(a[i]));
        break;
    case OPTREPL_NEGATE:
        LOOP(-a[i]);
        break;
    }
}
