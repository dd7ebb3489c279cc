// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <QMainWindow>

#include "core/imaging/ct_image.h"

namespace camlabel::ui {

/// A window that shows CT slices through a display window, one at a time, driven by the
/// keyboard: Left/Right move, F1 lung, F2 mediastinal, F3 bone, F4 the file's own window.
/// A file that cannot be read is reported in the window and skipped over; nothing crashes.
class SliceViewer : public QMainWindow {
  Q_OBJECT

 public:
  explicit SliceViewer(QWidget* parent = nullptr);
  ~SliceViewer() override;

  /// Shows these files (folders are expanded, recursively, in natural order).
  void openPaths(const std::vector<std::filesystem::path>& paths);

  int currentIndex() const;
  int imageCount() const;
  imaging::Window currentWindow() const;
  /// What is on screen: the windowed slice, or a null image when the file could not be read.
  QImage displayedImage() const;
  /// The error shown for the current file, empty when it was read.
  QString errorText() const;

 public slots:
  void showNext();
  void showPrevious();
  void setWindow(imaging::Window window);
  void resetWindow();

 signals:
  void imageShown(int index);

 private:
  struct Private;
  std::unique_ptr<Private> d;

  void createActions();
  void showImage(int index);
  void refresh();
  void openDialog();
};

}  // namespace camlabel::ui
