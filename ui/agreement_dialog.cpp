// SPDX-License-Identifier: Apache-2.0
#include "ui/agreement_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <exception>
#include <optional>
#include <utility>

#include "core/common/file_names.h"
#include "core/session/session.h"
#include "core/team/team_server.h"
#include "ui/background_task.h"
#include "ui/language.h"
#include "ui/text.h"

namespace camlabel::ui {
namespace {

QString reader(const std::string& name) {
  return fromUtf8(displayName(name));
}

QString kappaText(const std::optional<double>& value) {
  return value ? QString::number(*value, 'f', 2) : QStringLiteral("-");
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

AgreementDialog::AgreementDialog(QWidget* parent, session::Session& session) : QDialog(parent) {
  setWindowTitle(tr("Reader agreement"));
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  layout->addWidget(summary_);
  overall_ = new QTableWidget(this);
  overall_->setObjectName(QStringLiteral("agreementOverall"));
  layout->addWidget(overall_);
  auto* perClassTitle = new QLabel(tr("Per class (that class against the rest):"), this);
  layout->addWidget(perClassTitle);
  perClass_ = new QTableWidget(this);
  perClass_->setObjectName(QStringLiteral("agreementPerClass"));
  layout->addWidget(perClass_);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  save_ = buttons->addButton(tr("Save CSV…"), QDialogButtonBox::ActionRole);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(save_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save CSV"), QDir::home().filePath(QStringLiteral("agreement.csv")),
        tr("CSV (*.csv)"));
    if (!path.isEmpty()) saveCsv(path);
  });

  const auto& scheme = session.settings().scheme;
  for (std::size_t c = 0; c < scheme.classes.size(); ++c)
    classTitles_ << QStringLiteral("%1 %2").arg(c).arg(
        fromUtf8(scheme.className(static_cast<int>(c), uiLanguage())));
  resize(720, 560);
  std::vector<std::string> names = session.settings().scheme.englishNames();
  if (const std::string server = session.settings().teamServer; !server.empty()) {
    // Every reader's labels are on the team server: read there off the GUI thread, with no
    // reference to the session, which may close before the server answers.
    // Refresh: the other readers go on labelling meanwhile.
    QPushButton* refresh = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    task_ = new BackgroundTask(this);
    // Shared with the task's thread, which alone touches them while it runs.
    struct Reading {
      session::ProjectAgreement agreement;
      std::string mark;      ///< the server's changeMark() when the figures were measured
      bool quiet = false;    ///< a look for news, not asked for
      bool changed = false;  ///< the figures were measured again
      // The GUI thread's:
      QString watchError;         ///< why the last look for news failed
      bool refreshAsked = false;  ///< Refresh was pressed during a look for news
    };
    auto reading = std::make_shared<Reading>();
    const auto measure = [this, refresh, reading, server, names](bool quiet) {
      if (task_->running()) {
        reading->refreshAsked = reading->refreshAsked || !quiet;
        return;
      }
      reading->quiet = quiet;
      if (!quiet) {
        summary_->setText(tr("Reading every reader's labels from the team server…"));
        save_->setEnabled(false);
        refresh->setEnabled(false);
      }
      task_->start([server, names, reading](ProgressDelegate*) {
        team::TeamServer connection(server);  // one connection for the look and the figures
        std::string mark = connection.changeMark();
        reading->changed = !reading->quiet || mark != reading->mark;
        if (!reading->changed) return;
        reading->agreement = session::measureReaderAgreement(
            team::toReaderDecisions(connection.readerDecisions()), names);
        reading->mark = std::move(mark);
      });
    };
    // Refresh pressed while the server was being looked at: measured now.
    const auto thenAsked = [reading, measure] {
      if (!std::exchange(reading->refreshAsked, false)) return;
      measure(false);
    };
    connect(task_, &BackgroundTask::succeeded, this, [this, reading, refresh, thenAsked] {
      refresh->setEnabled(true);
      if (!reading->watchError.isEmpty() && status_->text() == reading->watchError)
        status_->clear();
      reading->watchError.clear();
      if (reading->changed) {
        agreement_ = std::move(reading->agreement);
        fill();
      }
      thenAsked();
    });
    connect(task_, &BackgroundTask::failed, this,
            [this, reading, refresh, thenAsked](const QString& message) {
              refresh->setEnabled(true);
              // A look for news that failed keeps the figures shown; the line says why they stand.
              if (reading->quiet) {
                reading->watchError = message;
                status_->setText(message);
              } else {
                summary_->setText(message);
              }
              emit measured();
              thenAsked();
            });
    connect(refresh, &QPushButton::clicked, this, [measure] { measure(false); });
    watch_ = new QTimer(this);
    watch_->setInterval(10000);
    connect(watch_, &QTimer::timeout, this, [measure] { measure(true); });
    watch_->start();
    measure(false);
    return;
  }
  try {
    agreement_ = session::measureReaderAgreement(session.readerDecisions(), std::move(names));
  } catch (const std::exception& e) {
    summary_->setText(fromUtf8(e.what()));
    save_->setEnabled(false);
    return;
  }
  fill();
}

bool AgreementDialog::measuring() const {
  return task_ != nullptr && task_->running();
}

void AgreementDialog::setWatchInterval(int milliseconds) {
  if (watch_ != nullptr) watch_->setInterval(milliseconds);
}

void AgreementDialog::fill() {
  const learning::AgreementReport& r = agreement_.report;
  QStringList readers;
  for (const auto& s : r.readers)
    readers << tr("%1 (%2 slices)").arg(reader(s.reader)).arg(s.slices);
  QString text = readers.isEmpty() ? tr("Nobody has labelled a slice yet.")
                                   : tr("Readers: %1.").arg(readers.join(QStringLiteral(", ")));
  text += QLatin1Char(' ') + tr("Slices labelled by two readers or more: %1.").arg(r.sharedSlices);
  if (r.pairs.empty()) {
    text += QLatin1Char(' ') + tr("Agreement needs the labels of two readers at least: each "
                                  "reader labels under their own name (the login name).");
  }
  if (agreement_.skips > 0)
    text += QLatin1Char(' ') + tr("Skips left out: %1.").arg(agreement_.skips);
  summary_->setText(text);
  save_->setEnabled(!r.pairs.empty());

  const int percent = static_cast<int>(r.confidence * 100 + 0.5);
  overall_->setColumnCount(5);
  overall_->setHorizontalHeaderLabels({tr("Readers"), tr("Slices"), tr("Same class"), tr("Kappa"),
                                       tr("%1% interval").arg(percent)});
  overall_->setRowCount(static_cast<int>(r.pairs.size()) + (r.all ? 1 : 0));
  auto interval = [](const learning::KappaEstimate& k) {
    return k.low ? QStringLiteral("%1 to %2").arg(kappaText(k.low), kappaText(k.high))
                 : QStringLiteral("-");
  };
  int row = 0;
  QStringList columns;
  for (const auto& p : r.pairs) {
    const QString names = tr("%1 / %2 (Cohen)").arg(reader(p.readerA), reader(p.readerB));
    columns << tr("%1 / %2").arg(reader(p.readerA), reader(p.readerB));
    overall_->setItem(row, 0, cell(names));
    overall_->setItem(row, 1, cell(QString::number(p.slices), true));
    overall_->setItem(row, 2,
                      cell(QString::number(p.observed * 100, 'f', 0) + QLatin1Char('%'), true));
    overall_->setItem(row, 3, cell(kappaText(p.kappa.kappa), true));
    overall_->setItem(row, 4, cell(interval(p.kappa), true));
    ++row;
  }
  if (r.all) {
    overall_->setItem(row, 0, cell(tr("All %1 readers (Fleiss)").arg(r.all->readers)));
    overall_->setItem(row, 1, cell(QString::number(r.all->slices), true));
    overall_->setItem(
        row, 2, cell(QString::number(r.all->observed * 100, 'f', 0) + QLatin1Char('%'), true));
    overall_->setItem(row, 3, cell(kappaText(r.all->kappa.kappa), true));
    overall_->setItem(row, 4, cell(interval(r.all->kappa), true));
    columns << tr("All (Fleiss)");
  }
  overall_->resizeColumnsToContents();
  overall_->verticalHeader()->hide();

  perClass_->setRowCount(r.classCount);
  perClass_->setColumnCount(static_cast<int>(columns.size()));
  perClass_->setHorizontalHeaderLabels(columns);
  perClass_->setVerticalHeaderLabels(classTitles_);
  for (int c = 0; c < r.classCount; ++c) {
    int column = 0;
    for (const auto& p : r.pairs)
      perClass_->setItem(c, column++,
                         cell(kappaText(p.perClass[static_cast<std::size_t>(c)]), true));
    if (r.all)
      perClass_->setItem(c, column,
                         cell(kappaText(r.all->perClass[static_cast<std::size_t>(c)]), true));
  }
  perClass_->resizeColumnsToContents();
  emit measured();
}

bool AgreementDialog::saveCsv(const QString& path) {
  try {
    learning::writeAgreementCsv(agreement_.report, agreement_.classNames,
                                std::filesystem::path(path.toStdString()));
  } catch (const std::exception& e) {
    status_->setText(fromUtf8(e.what()));
    return false;
  }
  status_->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
  return true;
}

QDialog* showAgreementDialog(QWidget* parent, session::Session& session) {
  auto* dialog = new AgreementDialog(parent, session);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->show();
  return dialog;
}

}  // namespace camlabel::ui
