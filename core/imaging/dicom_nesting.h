// SPDX-License-Identifier: Apache-2.0
#pragma once

// A bound on how deeply a DICOM file nests its sequences, checked before DCMTK parses it.
// DCMTK's parser recurses once per nested sequence item, so a crafted file with sequences nested
// some thousands deep ends the process with a stack overflow (pydicom and fo-dicom bounded the
// depth for the same reason in 2026). This walk is iterative: it reads element headers only and
// seeks past values.

#include <cstdint>
#include <filesystem>
#include <optional>

class DcmObject;

namespace camlabel::imaging::detail {

/// Deeper than any real object: structured reports nest 10-20 sequences at most (pydicom's
/// bound is 100, fo-dicom's 256).
inline constexpr int kMaxSequenceDepth = 100;

/// The most a deflated data set may inflate to: a plain file's limit (ReadOptions::maxFileBytes).
inline constexpr std::uint64_t kMaxInflatedBytes = std::uint64_t{2} << 30;

/// A deflated data set (transfer syntax 1.2.840.10008.1.2.1.99) inflated into a temporary file
/// (TMPDIR) as a bare data set in explicit VR little endian, removed with this object. DCMTK
/// reads the copy as it reads any file: it seeks past a value longer than it was asked to load,
/// and notices one that claims more bytes than the file holds. Inflating as it parses, DCMTK
/// can do neither: it allocates a value's claimed length first (a few crafted bytes claiming
/// gigabytes ran fuzz_image out of memory, whichever element claimed them).
class InflatedCopy {
 public:
  explicit InflatedCopy(std::filesystem::path path);
  InflatedCopy(InflatedCopy&& other) noexcept;
  InflatedCopy& operator=(InflatedCopy&& other) noexcept;
  InflatedCopy(const InflatedCopy&) = delete;
  InflatedCopy& operator=(const InflatedCopy&) = delete;
  ~InflatedCopy();

  const std::filesystem::path& path() const { return path_; }

 private:
  void remove() noexcept;
  std::filesystem::path path_;
};

/// Throws InputError naming `shown` when an element under root (meta group, data set, items)
/// claims more bytes than `fileBytes`, the size of the file DCMTK read it from. DCMTK leaves a
/// long value on disk and reads it when first asked for, allocating the length it claims (a
/// transfer syntax element of 10 KB claiming 1.4 GB ran fuzz_image out of memory).
void refuseValuesBeyond(DcmObject& root, std::uint64_t fileBytes,
                        const std::filesystem::path& shown);

/// Readies a DICOM file for DCMTK's parser, reading its file meta group once (with DCMTK's own
/// reader, every element's claim checked against the file): a deflated data set is inflated into
/// a copy, which DCMTK must read instead of the file (returned; std::nullopt for any other
/// file), and the data set DCMTK will parse is walked for its nesting. Throws InputError naming
/// the file for sequences nested more than maxDepth deep, a claim beyond the file, a damaged
/// deflate stream or one inflating to more than maxInflatedBytes; Error when the copy cannot be
/// written. Files it cannot walk (truncated, damaged, not DICOM) are left to DCMTK to judge.
std::optional<InflatedCopy> prepareForDcmtk(const std::filesystem::path& path,
                                            int maxDepth = kMaxSequenceDepth,
                                            std::uint64_t maxInflatedBytes = kMaxInflatedBytes);

/// prepareForDcmtk for its checks alone (the copy, if any, removed at once).
void checkSequenceNesting(const std::filesystem::path& path, int maxDepth = kMaxSequenceDepth);

}  // namespace camlabel::imaging::detail
