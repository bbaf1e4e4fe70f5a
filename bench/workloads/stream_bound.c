/* W4's memory bound: five passes with Adam's traffic over 10M-element arrays (read w, g, m, v;
   write w, m, v) and only additions and multiplications, vectorized for this CPU (gcc -O3
   -march=native): no arithmetic can make a fused pass faster than this. Prints the seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
    size_t n = 10000000;
    double *w = calloc(n, 8), *g = malloc(n * 8), *m = calloc(n, 8), *v = calloc(n, 8);
    for (size_t i = 0; i < n; i++) g[i] = 0.5;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int t = 1; t <= 5; t++) {
        for (size_t i = 0; i < n; i++) {
            double mi = 0.9 * m[i] + 0.1 * g[i], vi = 0.999 * v[i] + 0.001 * g[i];
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] - 0.001 * mi * vi;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    fprintf(stderr, "%g\n", w[0]);
    printf("%f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9);
    return 0;
}
