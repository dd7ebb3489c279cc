// SPDX-License-Identifier: Apache-2.0
#include "core/common/allocator.h"

#include <climits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace camlabel {

void keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // One arena: the trainer's thread would otherwise get its own, made of 64 MB heaps that are
  // shrunk (their pages given back) whenever their top is free.
  mallopt(M_ARENA_MAX, 1);
  // The largest threshold glibc takes; blocks above it (few) are still mapped and unmapped.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

}  // namespace camlabel
