// SPDX-License-Identifier: Apache-2.0
#include "ui/resume_summary.h"

#include <QCoreApplication>

#include <QMessageBox>
#include <QStringList>
#include <algorithm>

#include "core/common/error.h"

namespace camlabel::ui {
namespace {

/// The context of this file's texts in the translation file.
class ResumeSummary {
  Q_DECLARE_TR_FUNCTIONS(camlabel::ui::ResumeSummary)
};

}  // namespace

QString resumeSummary(const session::ResumeReport& report,
                      std::optional<std::int64_t> positionIndex, std::int64_t imageCount) {
  QStringList sentences;
  QString where;
  if (imageCount == 0) {
    where = ResumeSummary::tr("The project has no images yet");
  } else if (positionIndex && *positionIndex >= 0 && *positionIndex < imageCount) {
    where = ResumeSummary::tr("Resumed at image %1 of %2").arg(*positionIndex + 1).arg(imageCount);
  } else {
    where = ResumeSummary::tr("Starting at the first unlabelled image of %1").arg(imageCount);
  }
  const std::int64_t inVersion =
      std::max<std::int64_t>(0, report.labelsInStore - report.labelsRetrained);
  QString model;
  if (report.version) {
    model =
        inVersion == 1
            ? ResumeSummary::tr("with model v%1 (1 label)").arg(*report.version)
            : ResumeSummary::tr("with model v%1 (%2 labels)").arg(*report.version).arg(inVersion);
  } else {
    model = ResumeSummary::tr("with the starting model");
  }
  // One format, so a translation may put the model before the position.
  sentences.append(ResumeSummary::tr("%1 %2.").arg(where, model));
  if (report.labelsRetrained > 0) {
    const bool one = report.labelsRetrained == 1;
    if (report.version)
      sentences.append(one ? ResumeSummary::tr("1 label given after v%1 is being trained again.")
                                 .arg(*report.version)
                           : ResumeSummary::tr("%2 labels given after v%1 are being trained again.")
                                 .arg(*report.version)
                                 .arg(report.labelsRetrained));
    else
      sentences.append(one ? ResumeSummary::tr("1 label is being trained again.")
                           : ResumeSummary::tr("%1 labels are being trained again.")
                                 .arg(report.labelsRetrained));
  }
  for (const std::string& reason : report.skippedCheckpoints)
    sentences.append(
        ResumeSummary::tr("Skipped a damaged checkpoint: %1").arg(QString::fromStdString(reason)));
  return sentences.join(QLatin1Char(' '));
}

QString resumeSummary(session::Session& session) {
  const session::ResumeReport& report = session.resumeReport();
  std::optional<std::int64_t> index;
  if (report.position) {
    try {
      index = session.indexOf(*report.position);
    } catch (const Error&) {
      // The position names an image no longer in the project: say where the session starts.
    }
  }
  return resumeSummary(report, index, session.imageCount());
}

bool resumeWorthShowing(const session::ResumeReport& report) {
  return report.version.has_value() || report.labelsInStore > 0 || report.labelsRetrained > 0 ||
         resumeHasProblems(report);
}

bool resumeHasProblems(const session::ResumeReport& report) {
  return !report.skippedCheckpoints.empty();
}

QMessageBox* showResumeNotice(QWidget* parent, session::Session& session) {
  const session::ResumeReport& report = session.resumeReport();
  if (!resumeWorthShowing(report)) return nullptr;
  auto* box = new QMessageBox(parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setIcon(resumeHasProblems(report) ? QMessageBox::Warning : QMessageBox::Information);
  box->setWindowTitle(ResumeSummary::tr("Session resumed"));
  box->setText(resumeSummary(session));
  box->setStandardButtons(QMessageBox::Ok);
  box->setWindowModality(Qt::NonModal);
  box->show();
  return box;
}

}  // namespace camlabel::ui
