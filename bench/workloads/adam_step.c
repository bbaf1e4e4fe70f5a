/* W4's bound: five course-form Adam steps on 10M elements as one fused C loop (gcc -O2), the
   "STREAM-style" pass over w, g, m, v with no temporaries. Prints the seconds of the steps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
    size_t n = 10000000;
    double *w = calloc(n, 8), *g = malloc(n * 8), *m = calloc(n, 8), *v = calloc(n, 8);
    for (size_t i = 0; i < n; i++) g[i] = 0.5;
    double b1 = 0.9, b2 = 0.999, lr = 0.001, eps = 1e-8;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int t = 1; t <= 5; t++) {
        double c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t);
        for (size_t i = 0; i < n; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] = w[i] - lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    fprintf(stderr, "%g\n", w[0]);
    printf("%f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9);
    return 0;
}
