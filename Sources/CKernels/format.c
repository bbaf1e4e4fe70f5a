// See optrepl_format_double in CKernels.h.

#include "CKernels.h"
#include <stdio.h>

int optrepl_format_double(char *buffer, unsigned long size, const char *format, double x) {
    return snprintf(buffer, size, format, x);
}
