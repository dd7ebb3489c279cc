// SPDX-License-Identifier: Apache-2.0
#include "ui/image_conversion.h"

#include <opencv2/core.hpp>

namespace camlabel::ui {

QImage toQImage(const cv::Mat& gray8) {
  CV_Assert(gray8.type() == CV_8UC1);
  const QImage view(gray8.data, gray8.cols, gray8.rows, static_cast<qsizetype>(gray8.step),
                    QImage::Format_Grayscale8);
  return view.copy();
}

QImage bgrToQImage(const cv::Mat& bgr8) {
  CV_Assert(bgr8.type() == CV_8UC3);
  const QImage view(bgr8.data, bgr8.cols, bgr8.rows, static_cast<qsizetype>(bgr8.step),
                    QImage::Format_BGR888);
  return view.copy();
}

}  // namespace camlabel::ui
