// Start-up tuning of the C allocator for large tensors (see optrepl_tune_malloc in CKernels.h).

import CKernels

enum Memory {
    static func tune() {
        #if os(Linux)
        optrepl_tune_malloc()
        #endif
    }
}
