/* W3's peer: the same million course-form Adam steps on Rosenbrock in C (gcc -O2). */
#include <math.h>
#include <stdio.h>
int main(void) {
    double w[2] = {-1.5, 2}, m[2] = {0, 0}, v[2] = {0, 0};
    double b1 = 0.9, b2 = 0.999, lr = 0.001, eps = 1e-8, loss = 0;
    for (int t = 1; t <= 1000000; t++) {
        double x = w[0], y = w[1];
        double g[2] = {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
        double c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t);
        for (int i = 0; i < 2; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
        }
        loss = (1 - w[0]) * (1 - w[0]) + 100 * (w[1] - w[0] * w[0]) * (w[1] - w[0] * w[0]);
    }
    printf("%.17g %.17g %.17g\n", w[0], w[1], loss);
    return 0;
}
