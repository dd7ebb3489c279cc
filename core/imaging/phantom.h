// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/common/progress.h"

namespace camlabel::imaging {

/// Number of pattern classes the phantom draws (the "pattern" scheme: 0 Normal ... 9
/// Unclassifiable).
inline constexpr int kPhantomClassCount = 10;

/// One synthetic axial chest CT slice.
struct PhantomSlice {
  cv::Mat hu;          ///< CV_32FC1, size x size, Hounsfield units
  cv::Mat lesionMask;  ///< CV_8UC1, 255 where the pattern's texture was drawn, 0 elsewhere
  int label = 0;       ///< 0..9; label 0 (Normal) has an all-zero mask
};

/// Draws a slice of pattern `label` (0..9). Deterministic: the same (label, seed, size) gives the
/// same pixels on every machine. size >= 64 (and <= 4096). Throws std::invalid_argument on bad
/// arguments. The anatomy and noise depend on (seed, size) only, so a slice of label L differs from
/// the label-0 slice of the same seed and size exactly where its lesionMask is set.
PhantomSlice generatePhantomSlice(int label, std::uint64_t seed, int size = 256);

struct PhantomSetOptions {
  int count = 100;
  std::uint64_t seed = 1;
  int size = 256;
  bool writeDicom = false;  ///< also write dicom/<name>.dcm (CT, rescale intercept -1024)
};

struct PhantomSetEntry {
  std::string file;      ///< relative to the set's folder, e.g. "images/phantom_0001.png"
  std::string maskFile;  ///< e.g. "masks/phantom_0001.png"
  int label = 0;
};

/// Writes a balanced, shuffled set into dir: images/*.png (16-bit, stored = HU + 1024),
/// masks/*.png (8-bit, 0/255), optionally dicom/*.dcm, and labels.csv ("file,label" rows with
/// file relative to dir). Creates dir. Throws camlabel::Error on I/O failure, Cancelled when the
/// delegate cancels.
std::vector<PhantomSetEntry> writePhantomSet(const std::filesystem::path& dir,
                                             const PhantomSetOptions& options,
                                             ProgressDelegate* progress = nullptr);

}  // namespace camlabel::imaging
