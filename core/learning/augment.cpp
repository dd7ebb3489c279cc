// SPDX-License-Identifier: Apache-2.0
#include "core/learning/augment.h"

#include <algorithm>
#include <numbers>
#include <random>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace camlabel::learning {

AugmentParams drawAugmentation(const AugmentOptions& options, std::uint64_t seed,
                               std::int64_t imageId, int view) {
  AugmentParams p;
  if (!options.enabled || view == 0) return p;
  // SplitMix-style mixing so nearby ids and views give unrelated streams.
  std::uint64_t key = seed ^ (static_cast<std::uint64_t>(imageId) * 0x9E3779B97F4A7C15ULL) ^
                      (static_cast<std::uint64_t>(view) * 0xBF58476D1CE4E5B9ULL);
  key ^= key >> 31;
  std::mt19937_64 rng(key);
  auto uniform = [&rng](double limit) {
    return std::uniform_real_distribution<double>(-limit, limit)(rng);
  };
  p.shiftX = uniform(options.maxShift);
  p.shiftY = uniform(options.maxShift);
  p.scale = 1 + uniform(options.maxScale);
  p.rotationDegrees = uniform(options.maxRotationDegrees);
  p.centerShift = uniform(options.maxCenterShift);
  p.widthScale = 1 + uniform(options.maxWidthScale);
  return p;
}

imaging::CtImage augmentGeometry(const imaging::CtImage& image, const AugmentParams& params) {
  if (params.shiftX == 0 && params.shiftY == 0 && params.scale == 1 &&
      params.rotationDegrees == 0) {
    return image;
  }
  const cv::Mat& src = image.values;
  const cv::Point2f center(static_cast<float>(src.cols - 1) / 2.0F,
                           static_cast<float>(src.rows - 1) / 2.0F);
  cv::Mat m = cv::getRotationMatrix2D(center, params.rotationDegrees, params.scale);
  m.at<double>(0, 2) += params.shiftX * src.cols;
  m.at<double>(1, 2) += params.shiftY * src.rows;
  double minValue = 0;
  cv::minMaxLoc(src, &minValue);
  imaging::CtImage out;
  out.info = image.info;
  cv::warpAffine(src, out.values, m, src.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(minValue));
  return out;
}

imaging::Window augmentWindow(imaging::Window window, const AugmentParams& params) {
  window.center += params.centerShift * window.width;
  window.width = std::max(1.0, window.width * params.widthScale);
  return window;
}

}  // namespace camlabel::learning
