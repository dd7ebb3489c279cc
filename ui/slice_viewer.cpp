// SPDX-License-Identifier: Apache-2.0
#include "ui/slice_viewer.h"

#include <QAction>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>

#include "core/common/error.h"
#include "core/imaging/image_folder.h"
#include "core/imaging/window.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/window_presets.h"

namespace camlabel::ui {
namespace fs = std::filesystem;

struct SliceViewer::Private {
  std::vector<fs::path> files;
  int index = -1;
  std::optional<imaging::CtImage> image;
  std::optional<imaging::Window> window;  ///< nullopt: the image's default window
  QString error;
  QImage shown;
  ImageCanvas* canvas = nullptr;
  QLabel* status = nullptr;
};

SliceViewer::SliceViewer(QWidget* parent) : QMainWindow(parent), d(std::make_unique<Private>()) {
  d->canvas = new ImageCanvas(this);
  setCentralWidget(d->canvas);
  d->status = new QLabel(this);
  statusBar()->addWidget(d->status, 1);
  createActions();
  setWindowTitle(tr("camlabel"));
  resize(800, 700);
  refresh();
}

SliceViewer::~SliceViewer() = default;

void SliceViewer::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open images..."), this, &SliceViewer::openDialog);
  open->setShortcut(QKeySequence::Open);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcuts({QKeySequence(Qt::Key_Q), QKeySequence::Quit});

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* next = view->addAction(tr("&Next image"), this, &SliceViewer::showNext);
  next->setShortcut(Qt::Key_Right);
  QAction* previous = view->addAction(tr("&Previous image"), this, &SliceViewer::showPrevious);
  previous->setShortcut(Qt::Key_Left);
  view->addSeparator();
  addWindowPresetActions(
      view, this, [this](imaging::Window window) { setWindow(window); }, [this] { resetWindow(); });
}

void SliceViewer::openDialog() {
  const QStringList names = QFileDialog::getOpenFileNames(
      this, tr("Open images"), QString(),
      tr("Images (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;All files (*)"));
  std::vector<fs::path> paths;
  for (const QString& name : names)
    paths.emplace_back(name.toStdString());
  if (!paths.empty()) openPaths(paths);
}

void SliceViewer::openPaths(const std::vector<fs::path>& paths) {
  d->files.clear();
  QStringList problems;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      d->files.push_back(path);
      continue;
    }
    try {
      const auto listed = imaging::listImageFiles(path);
      d->files.insert(d->files.end(), listed.begin(), listed.end());
    } catch (const Error& e) {
      problems << QString::fromStdString(e.what());
    }
  }
  if (d->files.empty()) {
    d->index = -1;
    d->image.reset();
    d->error = problems.isEmpty() ? tr("No images found.") : problems.join('\n');
    refresh();
    return;
  }
  showImage(0);
}

int SliceViewer::currentIndex() const {
  return d->index;
}
int SliceViewer::imageCount() const {
  return static_cast<int>(d->files.size());
}
QImage SliceViewer::displayedImage() const {
  return d->shown;
}
QString SliceViewer::errorText() const {
  return d->error;
}

imaging::Window SliceViewer::currentWindow() const {
  if (d->window) return *d->window;
  return d->image ? imaging::defaultWindow(d->image->info) : imaging::kLungWindow;
}

void SliceViewer::showNext() {
  if (d->index + 1 < imageCount()) showImage(d->index + 1);
}

void SliceViewer::showPrevious() {
  if (d->index > 0) showImage(d->index - 1);
}

void SliceViewer::setWindow(imaging::Window window) {
  d->window = window;
  refresh();
}

void SliceViewer::resetWindow() {
  d->window.reset();
  refresh();
}

void SliceViewer::showImage(int index) {
  d->index = index;
  d->image.reset();
  d->error.clear();
  try {
    d->image = imaging::readImage(d->files[static_cast<std::size_t>(index)]);
  } catch (const Error& e) {
    d->error = QString::fromStdString(e.what());
  }
  refresh();
  emit imageShown(index);
}

void SliceViewer::refresh() {
  if (d->image) {
    d->shown = toQImage(imaging::renderWindowed8(*d->image, currentWindow()));
    d->canvas->setImage(d->shown, {});
  } else {
    d->shown = QImage();
    d->canvas->setImage({}, d->error.isEmpty() ? tr("Open CT images with Ctrl+O.") : d->error);
  }
  if (d->index < 0) {
    d->status->setText(d->error.isEmpty() ? tr("No image") : d->error);
    return;
  }
  const QString name =
      QString::fromStdString(d->files[static_cast<std::size_t>(d->index)].filename().string());
  QString text = tr("Image %1 of %2 - %3").arg(d->index + 1).arg(imageCount()).arg(name);
  if (d->image)
    text +=
        tr(" - window %1").arg(QString::fromStdString(imaging::describeWindow(currentWindow())));
  else
    text += tr(" - cannot be shown");
  d->status->setText(text);
}

}  // namespace camlabel::ui
