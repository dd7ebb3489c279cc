#pragma once

// A bound on how deeply a DICOM file nests its sequences, checked before DCMTK parses it.
// DCMTK's parser recurses once per nested sequence item, so a crafted file with sequences nested
// some thousands deep ends the process with a stack overflow (pydicom and fo-dicom bounded the
// depth for the same reason in 2026). This walk is iterative: it reads element headers only and
// seeks past values.

#include <cstdint>
#include <filesystem>

namespace camlabel::imaging::detail {

/// Deeper than any real object: structured reports nest 10-20 sequences at most (pydicom's
/// bound is 100, fo-dicom's 256).
inline constexpr int kMaxSequenceDepth = 100;

/// Throws InputError naming the file when its data set nests sequences more than maxDepth deep
/// (a deflated data set is walked as it inflates; one inflating to more than 4 GiB is refused
/// too). Files it cannot walk (truncated, damaged, not DICOM) are left to DCMTK to judge.
void checkSequenceNesting(const std::filesystem::path& path, int maxDepth = kMaxSequenceDepth);

}  // namespace camlabel::imaging::detail
