// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <optional>

namespace camlabel::ui {

/// Paints an image on black, scaled to fit and keeping its aspect ratio, or zoomed in and panned;
/// or a message in its place when there is no image (not loaded yet, unreadable).
/// The wheel zooms about the cursor; a left drag pans while zoomed in; a right drag reports its
/// movement (windowDragStarted, windowDragged) for the owner to change the display window.
/// The view (zoom and centre) is kept when the image changes, so the same region of the next
/// slice appears.
class ImageCanvas : public QWidget {
  Q_OBJECT

 public:
  /// Zoom is relative to "fit": 1 shows the whole image, 2 twice as large.
  static constexpr double kMinZoom = 1.0;
  static constexpr double kMaxZoom = 16.0;

  explicit ImageCanvas(QWidget* parent = nullptr);

  /// A null image shows the message instead.
  void setImage(QImage image, QString message = {});
  const QImage& image() const { return image_; }
  const QString& message() const { return message_; }

  double zoom() const { return zoom_; }
  /// The image point at the canvas's centre, as fractions of the image's width and height
  /// ((0.5, 0.5) when fitted); as asked, before keeping the image on screen.
  QPointF center() const { return center_; }
  /// Canvas pixels per image pixel as painted now.
  double displayScale() const;
  /// Where the image is painted, in canvas pixels (may extend past the canvas when zoomed).
  QRectF imageRect() const;

 public slots:
  /// Zoom clamped to [kMinZoom, kMaxZoom]; centre in image fractions. Emits viewChanged when the
  /// view changes.
  void setView(double zoom, QPointF center);
  /// Multiplies the zoom, keeping the image point under `anchor` (canvas pixels) where it is;
  /// the canvas's centre when none is given.
  void zoomBy(double factor, std::optional<QPointF> anchor = std::nullopt);
  /// Back to the whole image.
  void fit();

 signals:
  void viewChanged(double zoom, QPointF center);
  void windowDragStarted();
  /// The right drag moved `delta` canvas pixels since windowDragStarted.
  void windowDragged(QPoint delta);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  /// The centre moved as little as needed for the image to cover the canvas in each direction
  /// it is larger than the canvas (centred in the others).
  QPointF keptOnScreen(QPointF center, double scale) const;
  double fitScale() const;

  QImage image_;
  QString message_;
  double zoom_ = 1.0;
  QPointF center_{0.5, 0.5};
  std::optional<QPointF> panFrom_;     ///< left drag: last cursor position
  std::optional<QPointF> windowFrom_;  ///< right drag: where it started
};

}  // namespace camlabel::ui
