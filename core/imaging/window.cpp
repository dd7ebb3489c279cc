// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/window.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <opencv2/core.hpp>

#include "core/common/error.h"

namespace camlabel::imaging {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool parseDouble(std::string_view text, double& value) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  const auto* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end && std::isfinite(value);
}

}  // namespace

Window fullRangeWindow(const ImageInfo& info) {
  const double width = std::max(1.0, info.maxValue - info.minValue);
  return {info.minValue + width / 2, width};
}

Window defaultWindow(const ImageInfo& info) {
  if (info.storedWindow) return *info.storedWindow;
  switch (info.meaning) {
    case PixelMeaning::Hounsfield:
      return kLungWindow;
    case PixelMeaning::Stored8:
      return kAsStored8Window;
    case PixelMeaning::Stored:
      break;
  }
  return fullRangeWindow(info);
}

Window parseWindow(std::string_view text, const ImageInfo& info) {
  const std::string name = lower(text);
  if (name == "lung") return kLungWindow;
  if (name == "mediastinal" || name == "mediastinum" || name == "soft") return kMediastinalWindow;
  if (name == "bone") return kBoneWindow;
  if (name == "auto") return fullRangeWindow(info);
  if (name == "stored") {
    if (info.storedWindow) return *info.storedWindow;
    if (info.meaning == PixelMeaning::Stored8) return kAsStored8Window;
    return fullRangeWindow(info);
  }
  const auto comma = name.find(',');
  double center = 0;
  double width = 0;
  if (comma != std::string::npos && parseDouble(std::string_view(name).substr(0, comma), center) &&
      parseDouble(std::string_view(name).substr(comma + 1), width)) {
    if (width <= 0) throw Error("window width must be positive, got '" + std::string(text) + "'");
    return {center, width};
  }
  throw Error("unknown window '" + std::string(text) +
              "': use lung, mediastinal, bone, stored, auto, or CENTER,WIDTH such as -600,1500");
}

cv::Mat applyWindow(const cv::Mat& values, Window window) {
  CV_Assert(values.type() == CV_32FC1 && window.width > 0);
  const double scale = 1.0 / window.width;
  const double low = window.center - window.width / 2;
  cv::Mat out;
  values.convertTo(out, CV_32F, scale, -low * scale);
  cv::min(out, 1.0, out);
  cv::max(out, 0.0, out);
  return out;
}

cv::Mat renderWindowed8(const CtImage& image, Window window) {
  cv::Mat out;
  applyWindow(image.values, window).convertTo(out, CV_8U, 255.0);
  return out;
}

std::string describeWindow(Window window) {
  auto fmt = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  return "center " + fmt(window.center) + ", width " + fmt(window.width);
}

}  // namespace camlabel::imaging
