// See optrepl_format_double and optrepl_format_number in CKernels.h.
//
// optrepl_format_number writes the common cases itself, the same bytes glibc's printf writes:
// glibc rounds the exact binary value to the digits asked, half to even, and so does this.
// For p decimals (or p + 1 significant digits) the value times 10^k, with 10^k exact
// (|k| <= 22), is computed once rounded, and the rounding error's sign comes exact from an
// fma (a product's error, a quotient's remainder). While the scaled value stays below 2^52 its
// fraction is exact, so the nearest integer is decided by the fraction, and a tie (a fraction
// of exactly one half) by the error's sign, then by evenness. Anything else (larger values,
// more digits, the # flag) goes to snprintf. Tests compare the two on generated numbers.

#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int optrepl_format_double(char *buffer, unsigned long size, const char *format, double x) {
    return snprintf(buffer, size, format, x);
}

static const double powers[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static const uint64_t integer_powers[17] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull,
};

/// a × 10^k, once rounded, and the sign of what the rounding left out (exact - scaled); a >= 0
/// finite, |k| <= 22, a × 10^k far above the subnormals (the fma's term is then exact).
static void scale(double a, int k, double *scaled, double *error) {
    if (k >= 0) {
        double s = powers[k];
        *scaled = a * s;
        *error = fma(a, s, -*scaled);
    } else {
        // The remainder of a correctly rounded quotient is exact: a/d - scaled has its sign.
        double d = powers[-k];
        *scaled = a / d;
        *error = fma(-*scaled, d, a);
    }
}

/// The nearest integer to scaled + error (the exact value), half to even; -1 when scaled
/// reaches 2^52, where its fraction may not be exact.
static int64_t nearest(double scaled, double error) {
    if (!(scaled < 4503599627370496.0)) return -1;
    // Truncation is floor here (0 <= scaled < 2^52), without a call to floor.
    int64_t r = (int64_t)scaled;
    double fraction = scaled - (double)r;
    if (fraction > 0.5 || (fraction == 0.5 && (error > 0 || (error == 0 && (r & 1))))) r += 1;
    return r;
}

/// Whether the exact value scaled + error is at least the integer n (n < 2^53, so exact as a
/// double): rounding is monotonic, so scaled > n means the exact value is above n too.
static int at_least(double scaled, double error, uint64_t n) {
    double m = (double)n;
    return scaled > m || (scaled == m && error >= 0);
}

/// Writes u's decimal digits, at least `minimum` of them (zeros in front), ending just before
/// `end`; returns where they start.
static char *digits_before(char *end, uint64_t u, int minimum) {
    char *p = end;
    do { *--p = (char)('0' + u % 10); u /= 10; minimum--; } while (u != 0);
    while (minimum-- > 0) *--p = '0';
    return p;
}

/// %.{p}f of a >= 0 into buffer (room for 64 bytes), or -1.
static int fixed(char *buffer, int precision, double a) {
    if (precision > 22) return -1;
    int64_t r = 0;
    // Below 1/4 the exact product is below 1/2 too: zero.
    if (a * powers[precision] >= 0.25) {
        double scaled, error;
        scale(a, precision, &scaled, &error);
        r = nearest(scaled, error);
        if (r < 0) return -1;
    }
    char tmp[32];
    char *end = tmp + sizeof tmp;
    char *start = digits_before(end, (uint64_t)r, precision + 1);
    int n = (int)(end - start);
    int whole = n - precision;
    memcpy(buffer, start, (size_t)whole);
    if (precision == 0) { buffer[whole] = 0; return whole; }
    buffer[whole] = '.';
    memcpy(buffer + whole + 1, start + whole, (size_t)precision);
    buffer[n + 1] = 0;
    return n + 1;
}

/// The p + 1 significant digits of a > 0 as an integer in [10^p, 10^(p+1)) and the decimal
/// exponent: a ≈ digits × 10^(exponent - p). 0 when the fast path does not apply. The exponent
/// is the exact value's (10^e <= a < 10^(e+1), decided exactly: log10 only guesses it); digits
/// that round up to 10^(p+1) become 10^p with the next exponent, as printf writes them.
static int significant(double a, int precision, uint64_t *digits, int *exponent) {
    if (precision > 14 || !(a > 0)) return 0;
    int e = (int)floor(log10(a));
    uint64_t low = integer_powers[precision], high = integer_powers[precision + 1];
    for (int tries = 0; tries < 4; tries++) {
        int k = precision - e;
        if (k < -22 || k > 22) return 0;
        double scaled, error;
        scale(a, k, &scaled, &error);
        if (!at_least(scaled, error, low)) { e--; continue; }
        if (at_least(scaled, error, high)) { e++; continue; }
        int64_t r = nearest(scaled, error);
        if (r < 0) return 0;
        if ((uint64_t)r == high) { r = (int64_t)low; e++; }
        *digits = (uint64_t)r;
        *exponent = e;
        return 1;
    }
    return 0;
}

/// "e+05", "E-12", "e+123" at p; returns its length.
static int exponent_text(char *p, char letter, int e) {
    int n = 0;
    p[n++] = letter;
    p[n++] = e < 0 ? '-' : '+';
    unsigned u = (unsigned)(e < 0 ? -e : e);
    if (u >= 100) p[n++] = (char)('0' + u / 100);
    p[n++] = (char)('0' + u / 10 % 10);
    p[n++] = (char)('0' + u % 10);
    return n;
}

/// %.{p}e (or E) of a >= 0 into buffer, or -1.
static int scientific(char *buffer, char letter, int precision, double a) {
    uint64_t r = 0;
    int e = 0;
    if (a == 0) {
        if (precision > 14) return -1;
    } else if (!significant(a, precision, &r, &e)) {
        return -1;
    }
    char tmp[32];
    char *end = tmp + sizeof tmp;
    char *start = digits_before(end, r, precision + 1);
    int n = 0;
    buffer[n++] = start[0];
    if (precision > 0) {
        buffer[n++] = '.';
        memcpy(buffer + n, start + 1, (size_t)precision);
        n += precision;
    }
    n += exponent_text(buffer + n, letter, e);
    buffer[n] = 0;
    return n;
}

/// %.{P}g (or G) of a >= 0 into buffer, or -1: P significant digits, fixed when the exponent
/// X is in [-4, P), trailing zeros (and a bare point) removed.
static int general(char *buffer, char letter, int precision, double a) {
    int P = precision == 0 ? 1 : precision;
    if (a == 0) { buffer[0] = '0'; buffer[1] = 0; return 1; }
    uint64_t r;
    int e;
    if (!significant(a, P - 1, &r, &e)) return -1;
    char tmp[32];
    char *end = tmp + sizeof tmp;
    char *start = digits_before(end, r, P);
    // Drop trailing zeros of the P digits; at least one digit stays.
    int count = P;
    while (count > 1 && start[count - 1] == '0') count--;
    int n = 0;
    if (e < -4 || e >= P) {
        buffer[n++] = start[0];
        if (count > 1) {
            buffer[n++] = '.';
            memcpy(buffer + n, start + 1, (size_t)(count - 1));
            n += count - 1;
        }
        n += exponent_text(buffer + n, letter == 'G' ? 'E' : 'e', e);
    } else if (e >= 0) {
        // e + 1 digits before the point (all of the P digits are there: e < P).
        int whole = e + 1;
        memcpy(buffer, start, (size_t)whole);
        n = whole;
        if (count > whole) {
            buffer[n++] = '.';
            memcpy(buffer + n, start + whole, (size_t)(count - whole));
            n += count - whole;
        }
    } else {
        buffer[n++] = '0';
        buffer[n++] = '.';
        for (int i = 0; i < -e - 1; i++) buffer[n++] = '0';
        memcpy(buffer + n, start, (size_t)count);
        n += count;
    }
    buffer[n] = 0;
    return n;
}

/* %#g as C defines it: the exponent form when the exponent X after rounding to P digits is
   below -4 or at least P, else %#f with P - 1 - X decimals. glibc drops the trailing zeros when
   rounding carries into a new exponent (%#.3g of 999.9 is "1.e+03" there, "1.00e+03" in C's
   definition and Python's). */
static int alternate_general(char *buffer, unsigned long size, char conversion, int precision, double x) {
    int p = precision == 0 ? 1 : precision;
    if (!isfinite(x)) return snprintf(buffer, size, conversion == 'G' ? "%#.*G" : "%#.*g", p, x);
    char probe[160];  /* a spec's precision is at most 100 (FormatSpec.parse) */
    snprintf(probe, sizeof probe, "%.*e", p - 1, x);
    const char *e = strchr(probe, 'e');
    int exponent = e ? atoi(e + 1) : 0;
    if (exponent < -4 || exponent >= p) return snprintf(buffer, size, conversion == 'G' ? "%#.*E" : "%#.*e", p - 1, x);
    return snprintf(buffer, size, "%#.*f", p - 1 - exponent, x);
}

int optrepl_format_number(char *buffer, unsigned long size, char conversion, int alternate, int precision, double x) {
    // The written forms above need at most 1 + 22 + 17 digits and the exponent: 64 bytes.
    if (!alternate && size >= 64 && !signbit(x) && isfinite(x)) {
        int n = -1;
        switch (conversion) {
        case 'f': n = fixed(buffer, precision, x); break;
        case 'e': case 'E': n = scientific(buffer, conversion, precision, x); break;
        case 'g': case 'G': n = general(buffer, conversion, precision, x); break;
        default: break;
        }
        if (n >= 0) return n;
    }
    switch (conversion) {
    case 'f': return alternate ? snprintf(buffer, size, "%#.*f", precision, x) : snprintf(buffer, size, "%.*f", precision, x);
    case 'e': return alternate ? snprintf(buffer, size, "%#.*e", precision, x) : snprintf(buffer, size, "%.*e", precision, x);
    case 'E': return alternate ? snprintf(buffer, size, "%#.*E", precision, x) : snprintf(buffer, size, "%.*E", precision, x);
    case 'g': case 'G':
        if (alternate) return alternate_general(buffer, size, conversion, precision, x);
        return snprintf(buffer, size, conversion == 'G' ? "%.*G" : "%.*g", precision, x);
    default: return -1;
    }
}
