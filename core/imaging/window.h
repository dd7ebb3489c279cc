// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// Named presets, in Hounsfield units (center/width).
inline constexpr Window kLungWindow{-600, 1500};
inline constexpr Window kMediastinalWindow{40, 400};
inline constexpr Window kBoneWindow{400, 1800};
/// An 8-bit image shown as stored: 0 -> 0, 255 -> 1.
inline constexpr Window kAsStored8Window{127.5, 255};

/// Parses what a user types: "lung", "mediastinal", "bone", "stored" (the file's own DICOM window,
/// or as stored for 8-bit images), "auto" (the image's full range), or "center,width" such as
/// "-600,1500". Throws camlabel::Error with the accepted forms on anything else.
Window parseWindow(std::string_view text, const ImageInfo& info);

/// The window an image opens with: the file's own DICOM window, the lung preset for other
/// Hounsfield images, as stored for 8-bit images, the full range otherwise.
Window defaultWindow(const ImageInfo& info);

/// The image's own range as a window (width at least 1).
Window fullRangeWindow(const ImageInfo& info);

/// Applies y = clamp((x - (center - width/2)) / width, 0, 1) to every pixel; returns CV_32FC1.
cv::Mat applyWindow(const cv::Mat& values, Window window);

/// The windowed image as 8-bit gray (round(y * 255)), as shown on screen and written by render.
cv::Mat renderWindowed8(const CtImage& image, Window window);

std::string describeWindow(Window window);

}  // namespace camlabel::imaging
