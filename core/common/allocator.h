// SPDX-License-Identifier: Apache-2.0
#pragma once
// How the process's heap treats the large, short-lived blocks of a training step.

namespace camlabel {

/// Keeps freed memory in the process for the next step instead of handing it back to the kernel.
/// A ResNet50 step of 16 images allocates and frees activations of tens of megabytes each; with
/// glibc's defaults every block above its mmap threshold, and every block freed at the top of a
/// thread's arena, goes back to the kernel and is faulted in again, zeroed, at the next step: a
/// quarter of the trainer's CPU time was spent in the kernel doing that (docs/benchmarks.md,
/// "The heap"). This sets one arena for all threads, blocks up to 32 MB from the heap, and no
/// trimming below 2 GB free. Call first thing in main, before any thread starts; with a C
/// library other than glibc it does nothing.
void keepFreedMemoryForReuse();

}  // namespace camlabel
