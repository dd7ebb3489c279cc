// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/preprocess.h"

#include <opencv2/imgproc.hpp>

#include "core/imaging/window.h"

namespace camlabel::imaging {

ModelInput preprocessForModel(const CtImage& image, Window window, const ModelInputSpec& spec) {
  CV_Assert(spec.size > 0);
  cv::Mat windowed = applyWindow(image.values, window);
  cv::Mat resized;
  if (windowed.rows == spec.size && windowed.cols == spec.size) {
    resized = windowed;
  } else {
    cv::resize(windowed, resized, cv::Size(spec.size, spec.size), 0, 0, cv::INTER_LINEAR);
  }

  ModelInput input;
  input.height = spec.size;
  input.width = spec.size;
  const std::size_t plane = static_cast<std::size_t>(spec.size) * spec.size;
  input.chw.resize(plane * 3);
  for (int c = 0; c < 3; ++c) {
    cv::Mat channel(spec.size, spec.size, CV_32F, input.chw.data() + plane * c);
    resized.convertTo(channel, CV_32F, 1.0 / spec.stddev[c], -spec.mean[c] / spec.stddev[c]);
  }
  return input;
}

}  // namespace camlabel::imaging
