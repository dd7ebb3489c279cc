#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace camlabel::ui {

/// Paints an image scaled to fit, keeping its aspect ratio, on black; or a message in its place
/// when there is no image (not loaded yet, unreadable).
class ImageCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit ImageCanvas(QWidget* parent = nullptr);

  /// A null image shows the message instead.
  void setImage(QImage image, QString message = {});
  const QImage& image() const { return image_; }
  const QString& message() const { return message_; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage image_;
  QString message_;
};

}  // namespace camlabel::ui
