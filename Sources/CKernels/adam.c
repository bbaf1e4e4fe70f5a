// See CKernels.h. Built with -ffp-contract=off and without -ffast-math (Package.swift), so
// every lane computes exactly what the scalar Swift loop computes.

#include "CKernels.h"
#include "pragmas.h"
#include <math.h>

OPTREPL_CLONES
void optrepl_adam_course(double *restrict w, const double *restrict g, double *restrict m, double *restrict v,
                         long n, double lr, double b1, double b2, double eps, double c1, double c2) {
    const double a1 = 1 - b1, a2 = 1 - b2;
    for (long i = 0; i < n; i++) {
        double gi = g[i];
        double mi = b1 * m[i] + a1 * gi;
        double vi = b2 * v[i] + a2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] - lr * (mi / c1) / (sqrt(vi / c2) + eps);
    }
}
