// SPDX-License-Identifier: Apache-2.0
#include "ui/image_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace camlabel::ui {
namespace {

/// One wheel notch (120 eighths of a degree) zooms by this factor.
constexpr double kWheelNotchZoom = 1.25;

}  // namespace

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
  setMinimumSize(256, 256);
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::black);
  setPalette(p);
}

void ImageCanvas::setImage(QImage image, QString message) {
  image_ = std::move(image);
  message_ = std::move(message);
  update();
}

double ImageCanvas::fitScale() const {
  if (image_.isNull() || image_.width() <= 0 || image_.height() <= 0) return 1.0;
  return std::min(static_cast<double>(width()) / image_.width(),
                  static_cast<double>(height()) / image_.height());
}

double ImageCanvas::displayScale() const {
  return fitScale() * zoom_;
}

QPointF ImageCanvas::keptOnScreen(QPointF center, double scale) const {
  if (image_.isNull()) return center;
  auto keep = [scale](double c, int imagePixels, int canvasPixels) {
    const double shown = imagePixels * scale;
    if (shown <= canvasPixels) return 0.5;
    const double half = canvasPixels / 2.0 / shown;  // half the canvas, in image fractions
    return std::clamp(c, half, 1.0 - half);
  };
  return {keep(center.x(), image_.width(), width()), keep(center.y(), image_.height(), height())};
}

QRectF ImageCanvas::imageRect() const {
  if (image_.isNull()) return {};
  const double scale = displayScale();
  const QPointF c = keptOnScreen(center_, scale);
  const QSizeF size(image_.width() * scale, image_.height() * scale);
  const QPointF topLeft(width() / 2.0 - c.x() * size.width(),
                        height() / 2.0 - c.y() * size.height());
  return {topLeft, size};
}

void ImageCanvas::setView(double zoom, QPointF center) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  center = QPointF(std::clamp(center.x(), 0.0, 1.0), std::clamp(center.y(), 0.0, 1.0));
  if (zoom == zoom_ && center == center_) return;
  zoom_ = zoom;
  center_ = center;
  update();
  emit viewChanged(zoom_, center_);
}

void ImageCanvas::zoomBy(double factor, std::optional<QPointF> anchor) {
  if (image_.isNull()) return;
  const QPointF at = anchor.value_or(QPointF(width() / 2.0, height() / 2.0));
  const QRectF before = imageRect();
  // The image point under the anchor, in fractions; it stays under the anchor.
  const QPointF point((at.x() - before.left()) / before.width(),
                      (at.y() - before.top()) / before.height());
  const double zoom = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
  const double scale = fitScale() * zoom;
  const QPointF center(point.x() + (width() / 2.0 - at.x()) / (image_.width() * scale),
                       point.y() + (height() / 2.0 - at.y()) / (image_.height() * scale));
  setView(zoom, keptOnScreen(center, scale));
}

void ImageCanvas::fit() {
  setView(1.0, QPointF(0.5, 0.5));
}

void ImageCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (image_.isNull()) {
    painter.setPen(Qt::white);
    painter.drawText(rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap,
                     message_);
    return;
  }
  // Smooth when shrinking or fitting; zoomed in, the image's own pixels are what a reader wants.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, displayScale() < 2.0);
  painter.drawImage(imageRect(), image_);
}

void ImageCanvas::wheelEvent(QWheelEvent* event) {
  const int eighths = event->angleDelta().y();
  if (eighths == 0 || image_.isNull()) {
    event->ignore();
    return;
  }
  zoomBy(std::pow(kWheelNotchZoom, eighths / 120.0), event->position());
  event->accept();
}

void ImageCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && zoom_ > kMinZoom) {
    panFrom_ = event->position();
    setCursor(Qt::ClosedHandCursor);
  } else if (event->button() == Qt::RightButton && !image_.isNull()) {
    windowFrom_ = event->position();
    emit windowDragStarted();
  } else {
    QWidget::mousePressEvent(event);
    return;
  }
  event->accept();
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (panFrom_ && (event->buttons() & Qt::LeftButton)) {
    const QPointF moved = event->position() - *panFrom_;
    panFrom_ = event->position();
    const QRectF shown = imageRect();
    // The image follows the hand: its centre point moves the other way.
    const QPointF start = keptOnScreen(center_, displayScale());
    setView(zoom_, keptOnScreen(QPointF(start.x() - moved.x() / shown.width(),
                                        start.y() - moved.y() / shown.height()),
                                displayScale()));
  } else if (windowFrom_ && (event->buttons() & Qt::RightButton)) {
    emit windowDragged((event->position() - *windowFrom_).toPoint());
  } else {
    QWidget::mouseMoveEvent(event);
    return;
  }
  event->accept();
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && panFrom_) {
    panFrom_.reset();
    unsetCursor();
  } else if (event->button() == Qt::RightButton && windowFrom_) {
    windowFrom_.reset();
  } else {
    QWidget::mouseReleaseEvent(event);
    return;
  }
  event->accept();
}

}  // namespace camlabel::ui
