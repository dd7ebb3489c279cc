// SPDX-License-Identifier: Apache-2.0
// DICOM, PNG, JPEG, TIFF and BMP through the image reader, as `info`, `render`, `predict` and an
// import get them: each input is read and probed; a refusal must be camlabel::InputError, and an
// image read must have the size and finite values the reader promises.

#include <opencv2/core.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  const auto file = fuzz::asFile(data, size);
  try {
    const imaging::ImageProbe probe = imaging::probeImage(file);
    if (probe.width < imaging::kMinImageSide || probe.height < imaging::kMinImageSide)
      fuzz::finding("a probe below the minimum size was accepted");
  } catch (const InputError&) {
  }
  imaging::ReadOptions options;
  options.frame = 0;
  try {
    const imaging::CtImage image = imaging::readImage(file, options);
    if (image.values.empty() || image.values.type() != CV_32F)
      fuzz::finding("an image was read without 32-bit values");
    if (!cv::checkRange(image.values)) fuzz::finding("an image was read with values not finite");
    if (image.values.cols < imaging::kMinImageSide || image.values.rows < imaging::kMinImageSide)
      fuzz::finding("an image below the minimum size was read");
  } catch (const InputError&) {
  }
  return 0;
}
