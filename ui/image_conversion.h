// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>

#include <opencv2/core/mat.hpp>

namespace camlabel::ui {

/// A deep copy of an 8-bit single-channel image as QImage::Format_Grayscale8.
QImage toQImage(const cv::Mat& gray8);

/// A deep copy of an 8-bit BGR image (OpenCV's channel order) as QImage::Format_BGR888.
QImage bgrToQImage(const cv::Mat& bgr8);

}  // namespace camlabel::ui
