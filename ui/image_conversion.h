#pragma once

#include <QImage>

#include <opencv2/core/mat.hpp>

namespace camlabel::ui {

/// A deep copy of an 8-bit single-channel image as QImage::Format_Grayscale8.
QImage toQImage(const cv::Mat& gray8);

}  // namespace camlabel::ui
