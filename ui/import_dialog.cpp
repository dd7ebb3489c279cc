// SPDX-License-Identifier: Apache-2.0
#include "ui/import_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <exception>
#include <string_view>

#include "core/common/progress.h"
#include "core/session/session.h"
#include "ui/background_task.h"

namespace camlabel::ui {

namespace fs = std::filesystem;

namespace {

/// Failures listed by name in a summary; the rest are counted.
constexpr int kListedFailures = 5;
/// Steps of the progress bar (BackgroundTask reports at most one per 0.1%).
constexpr int kBarSteps = 1000;

/// The context of this file's free functions' texts in the translation file.
class ImportTexts {
  Q_DECLARE_TR_FUNCTIONS(camlabel::ui::ImportDialog)
};

QString translatedProgress(std::string_view message) {
  if (message == "Importing images") return ImportTexts::tr("Importing images…");
  if (message == "Retrieving from the PACS") return ImportTexts::tr("Retrieving from the PACS…");
  return QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size()));
}

}  // namespace

ImportJob::ImportJob(Work work, QObject* parent)
    : QObject(parent),
      work_(std::move(work)),
      report_(std::make_shared<std::optional<project::ImportReport>>()),
      task_(new BackgroundTask(this)) {
  connect(task_, &BackgroundTask::progressed, this,
          [this](double fraction, const QString& message) {
            emit progressed(fraction, translatedProgress(message.toStdString()));
          });
  connect(task_, &BackgroundTask::succeeded, this, &ImportJob::finished);
  connect(task_, &BackgroundTask::cancelled, this, [this] {
    cancelled_ = true;
    emit finished();
  });
  connect(task_, &BackgroundTask::failed, this, [this](const QString& message) {
    error_ = message;
    emit finished();
  });
}

ImportJob::~ImportJob() {
  task_->cancelAndWait();
}

void ImportJob::start() {
  task_->start(
      [work = work_, report = report_](ProgressDelegate* progress) { *report = work(progress); });
}

void ImportJob::cancel() {
  task_->cancel();
}

bool ImportJob::isRunning() const {
  return task_->running();
}

namespace {

/// "2 localizers", translated.
QString notASliceText(imaging::NotASlice kind, int count) {
  const bool one = count == 1;
  switch (kind) {
    case imaging::NotASlice::DicomDirectory:
      return one ? ImportTexts::tr("1 DICOMDIR") : ImportTexts::tr("%1 DICOMDIRs").arg(count);
    case imaging::NotASlice::StructuredReport:
      return one ? ImportTexts::tr("1 structured report")
                 : ImportTexts::tr("%1 structured reports").arg(count);
    case imaging::NotASlice::PresentationState:
      return one ? ImportTexts::tr("1 presentation state")
                 : ImportTexts::tr("%1 presentation states").arg(count);
    case imaging::NotASlice::RadiotherapyObject:
      return one ? ImportTexts::tr("1 radiotherapy object")
                 : ImportTexts::tr("%1 radiotherapy objects").arg(count);
    case imaging::NotASlice::EncapsulatedDocument:
      return one ? ImportTexts::tr("1 encapsulated document")
                 : ImportTexts::tr("%1 encapsulated documents").arg(count);
    case imaging::NotASlice::Waveform:
      return one ? ImportTexts::tr("1 waveform") : ImportTexts::tr("%1 waveforms").arg(count);
    case imaging::NotASlice::OtherNonImage:
      return one ? ImportTexts::tr("1 other object without pixel data")
                 : ImportTexts::tr("%1 other objects without pixel data").arg(count);
    case imaging::NotASlice::Localizer:
      return one ? ImportTexts::tr("1 localizer") : ImportTexts::tr("%1 localizers").arg(count);
  }
  return QString::number(count);
}

}  // namespace

QString importSummary(const project::ImportReport& report) {
  QStringList lines;
  lines.append(report.added == 1 ? ImportTexts::tr("Added 1 image.")
                                 : ImportTexts::tr("Added %1 images.").arg(report.added));
  const int already = report.alreadyImported + report.duplicates;
  if (already > 0)
    lines.append(already == 1
                     ? ImportTexts::tr("1 file was already in the project and was left as it is.")
                     : ImportTexts::tr("%1 files were already in the project and were left as "
                                       "they are.")
                           .arg(already));
  QStringList skipped;
  for (int kind = 0; kind < imaging::kNotASliceKinds; ++kind) {
    const int count = report.skipped[static_cast<std::size_t>(kind)];
    if (count > 0) skipped.append(notASliceText(static_cast<imaging::NotASlice>(kind), count));
  }
  if (!skipped.isEmpty())
    lines.append(ImportTexts::tr("Skipped, as not slices to label: %1.")
                     .arg(skipped.join(QStringLiteral(", "))));
  const auto failures = static_cast<int>(report.failures.size());
  if (failures > 0) {
    lines.append(
        failures == 1
            ? ImportTexts::tr("1 file could not be read and was skipped:")
            : ImportTexts::tr("%1 files could not be read and were skipped:").arg(failures));
    for (int i = 0; i < failures && i < kListedFailures; ++i) {
      const project::ImportFailure& f = report.failures[static_cast<std::size_t>(i)];
      lines.append(QStringLiteral("  ") + QString::fromStdString(f.path) + QStringLiteral(": ") +
                   QString::fromStdString(f.reason));
    }
    if (failures > kListedFailures)
      lines.append(ImportTexts::tr("  … and %1 more.").arg(failures - kListedFailures));
  }
  if (report.added == 0 && failures == 0 && already == 0 && skipped.isEmpty())
    lines.append(ImportTexts::tr("The folder holds no DICOM, PNG, JPEG, TIFF or BMP files."));
  return lines.join(QLatin1Char('\n'));
}

ImportDialog::ImportDialog(ImportJob::Work work, QWidget* parent)
    : QDialog(parent), job_(std::make_unique<ImportJob>(std::move(work))) {
  setWindowTitle(tr("Importing images"));
  setModal(true);
  auto* layout = new QVBoxLayout(this);
  status_ = new QLabel(tr("Importing images…"), this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->setMinimumWidth(420);
  layout->addWidget(status_);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, kBarSteps);
  bar_->setValue(0);
  layout->addWidget(bar_);
  auto* buttons = new QDialogButtonBox(this);
  button_ = buttons->addButton(QDialogButtonBox::Cancel);
  layout->addWidget(buttons);
  connect(button_, &QPushButton::clicked, this, &ImportDialog::reject);
  connect(job_.get(), &ImportJob::progressed, this, [this](double fraction, const QString& text) {
    bar_->setValue(static_cast<int>(fraction * kBarSteps));
    status_->setText(text);
  });
  connect(job_.get(), &ImportJob::finished, this, &ImportDialog::onFinished);
}

ImportDialog* ImportDialog::forSession(session::Session& session, const fs::path& folder,
                                       QWidget* parent) {
  return new ImportDialog(
      [&session, folder](ProgressDelegate* progress) {
        return session.importImages(folder, progress);
      },
      parent);
}

void ImportDialog::start() {
  job_->start();
}

QString ImportDialog::statusText() const {
  return status_->text();
}

void ImportDialog::reject() {
  if (job_->isRunning()) {
    job_->cancel();
    status_->setText(tr("Cancelling…"));
    button_->setEnabled(false);
    return;
  }
  QDialog::reject();
}

void ImportDialog::onFinished() {
  bar_->setValue(bar_->maximum());
  if (job_->report()) {
    status_->setText(importSummary(*job_->report()));
  } else if (job_->wasCancelled()) {
    status_->setText(
        tr("The import was cancelled. The images imported before it stopped stay in the "
           "project; importing the same folder again adds the rest."));
  } else {
    status_->setText(tr("The import failed: %1").arg(job_->errorText()));
  }
  button_->setText(tr("Close"));
  button_->setEnabled(true);
  disconnect(button_, &QPushButton::clicked, this, &ImportDialog::reject);
  connect(button_, &QPushButton::clicked, this, &ImportDialog::accept);
  adjustSize();  // the summary may be many lines longer than the progress text
  emit importDone();
}

QString importFolderProblem(const fs::path& folder, const fs::path& imageRoot) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return ImportTexts::tr("'%1' is not a folder.").arg(QString::fromStdString(folder.string()));
  const fs::path from = fs::weakly_canonical(fs::absolute(folder), ec);
  const fs::path root = fs::weakly_canonical(imageRoot, ec);
  const fs::path inside = from.lexically_relative(root);
  if (inside.empty() || *inside.begin() == "..")
    return ImportTexts::tr(
               "The folder '%1' is not inside the project's image folder '%2'. A "
               "project imports only from its image folder: copy or move the "
               "images into it first.")
        .arg(QString::fromStdString(from.string()), QString::fromStdString(root.string()));
  return {};
}

int importMoreImages(QWidget* parent, session::Session& session) {
  const fs::path root = session.settings().imageRoot;
  const QString folder = QFileDialog::getExistingDirectory(
      parent, ImportTexts::tr("Import images from a folder in the project's image folder"),
      QString::fromStdString(root.string()));
  if (folder.isEmpty()) return 0;
  const fs::path chosen = folder.toStdString();
  if (const QString problem = importFolderProblem(chosen, root); !problem.isEmpty()) {
    QMessageBox::warning(parent, ImportTexts::tr("Import more images"), problem);
    return 0;
  }
  const std::int64_t before = session.imageCount();
  std::unique_ptr<ImportDialog> dialog(ImportDialog::forSession(session, chosen, parent));
  dialog->start();
  dialog->exec();
  return static_cast<int>(session.imageCount() - before);
}

}  // namespace camlabel::ui
