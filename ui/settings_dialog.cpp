// SPDX-License-Identifier: Apache-2.0
#include "ui/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <exception>
#include <string_view>

#include "core/session/session.h"
#include "ui/language.h"

namespace camlabel::ui {

namespace {

constexpr const char* kLanguageKey = "language";
/// Largest snapshot interval offered (as in the new project wizard).
constexpr int kMaxSnapshotEvery = 10'000;
/// Room for a chord such as "Ctrl+Shift+Z" and the clear button.
constexpr int kKeyColumnWidth = 170;
enum Column { kCommandColumn, kFirstKeyColumn, kSecondKeyColumn, kColumnCount };

QString thresholdKey(std::string_view name) {
  return QStringLiteral("trust/") + QString::fromLatin1(name.data(), static_cast<int>(name.size()));
}

QString thresholdLabel(std::string_view name) {
  if (name == "border_width") return SettingsDialog::tr("Border band (share of the side):");
  if (name == "border_share") return SettingsDialog::tr("Warn above this share in the border:");
  if (name == "corner_size") return SettingsDialog::tr("Corner square (share of the side):");
  if (name == "corner_share") return SettingsDialog::tr("Warn above this share in the corners:");
  if (name == "uniform_entropy") return SettingsDialog::tr("Warn when spread evenly above:");
  if (name == "outside_body_share")
    return SettingsDialog::tr("Warn above this share outside the body:");
  if (name == "outside_lung_share")
    return SettingsDialog::tr("Warn above this share outside the lungs:");
  if (name == "one_sided_share") return SettingsDialog::tr("Warn when one side holds more than:");
  if (name == "body_hu") return SettingsDialog::tr("Body: above");
  if (name == "lung_hu") return SettingsDialog::tr("Lungs: below");
  return QString::fromLatin1(name.data(), static_cast<int>(name.size()));
}

}  // namespace

QString savedLanguage(const QSettings& settings) {
  const QString language = settings.value(kLanguageKey).toString();
  return language == QLatin1String("en") || language == QLatin1String("ja") ? language : QString();
}

SettingsDialog::SettingsDialog(QSettings& settings, session::Session* session, QWidget* parent)
    : QDialog(parent),
      settings_(settings),
      session_(session),
      first_(kCommandCount),
      second_(kCommandCount),
      extra_(kCommandCount) {
  setWindowTitle(tr("Settings"));
  auto* layout = new QVBoxLayout(this);

  auto* general = new QGroupBox(tr("Interface"), this);
  auto* generalForm = new QFormLayout(general);
  language_ = new QComboBox(general);
  // Each language named in itself, so a user who cannot read the current one finds theirs.
  language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
  language_->addItem(QStringLiteral("日本語"), QStringLiteral("ja"));
  const QString saved = savedLanguage(settings_);
  setLanguage(saved.isEmpty() ? QString::fromStdString(uiLanguage()) : saved);
  generalForm->addRow(tr("Language:"), language_);
  auto* languageNote =
      new QLabel(tr("The language changes the next time camlabel starts."), general);
  languageNote->setWordWrap(true);
  generalForm->addRow(QString(), languageNote);
  layout->addWidget(general);

  auto* keys = new QGroupBox(tr("Keys"), this);
  auto* keysLayout = new QVBoxLayout(keys);
  table_ = new QTableWidget(kCommandCount, kColumnCount, keys);
  table_->setHorizontalHeaderLabels({tr("Command"), tr("Key"), tr("Other key")});
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(kCommandColumn, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(kFirstKeyColumn, QHeaderView::Fixed);
  table_->horizontalHeader()->setSectionResizeMode(kSecondKeyColumn, QHeaderView::Fixed);
  table_->setColumnWidth(kFirstKeyColumn, kKeyColumnWidth);
  table_->setColumnWidth(kSecondKeyColumn, kKeyColumnWidth);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  for (int row = 0; row < kCommandCount; ++row) {
    auto* name = new QTableWidgetItem(commandDescription(commandAt(row)));
    name->setFlags(Qt::ItemIsEnabled);
    table_->setItem(row, kCommandColumn, name);
    for (const int column : {kFirstKeyColumn, kSecondKeyColumn}) {
      auto* edit = new QKeySequenceEdit(table_);
      edit->setClearButtonEnabled(true);
      edit->setObjectName(commandId(commandAt(row)) + (column == kFirstKeyColumn
                                                           ? QStringLiteral("_key")
                                                           : QStringLiteral("_other")));
      table_->setCellWidget(row, column, edit);
      (column == kFirstKeyColumn ? first_ : second_)[static_cast<std::size_t>(row)] = edit;
      connect(edit, &QKeySequenceEdit::keySequenceChanged, this, &SettingsDialog::onKeysEdited);
    }
  }
  table_->setMinimumHeight(280);
  keysLayout->addWidget(table_);
  conflicts_ = new QLabel(keys);
  conflicts_->setWordWrap(true);
  conflicts_->setStyleSheet(QStringLiteral("color: #b00020;"));
  keysLayout->addWidget(conflicts_);
  auto* restore = new QPushButton(tr("Restore defaults"), keys);
  connect(restore, &QPushButton::clicked, this, &SettingsDialog::restoreDefaults);
  keysLayout->addWidget(restore, 0, Qt::AlignLeft);
  layout->addWidget(keys, 1);

  if (session_ != nullptr) {
    auto* project = new QGroupBox(tr("This project"), this);
    auto* form = new QFormLayout(project);
    snapshot_ = new QSpinBox(project);
    snapshot_->setRange(1, kMaxSnapshotEvery);
    snapshot_->setSuffix(tr(" labels"));
    form->addRow(tr("Keep a model version every:"), snapshot_);
    mode_ = new QComboBox(project);
    mode_->addItem(tr("Automatic: whole network without a weights file, last block with one "
                      "(recommended)"),
                   QStringLiteral("auto"));
    mode_->addItem(tr("Last layer only (head): fastest"), QStringLiteral("head"));
    mode_->addItem(tr("Last block and head (layer4)"), QStringLiteral("layer4"));
    mode_->addItem(tr("Whole network (full)"), QStringLiteral("full"));
    form->addRow(tr("Training:"), mode_);
    auto* note = new QLabel(tr("Saved in the project. They apply the next time the project is "
                               "opened; the training now running keeps its settings."),
                            project);
    note->setWordWrap(true);
    form->addRow(QString(), note);
    try {
      const project::ProjectSettings stored = session_->storedSettings();
      setSnapshotEvery(stored.snapshotEvery);
      setTrainingMode(QString::fromStdString(stored.trainingMode));
      if (!stored.teamServer.empty()) {
        // Applies at once: the trainer's labels change when OK is pressed.
        teamTraining_ = new QComboBox(project);
        teamTraining_->setObjectName(QStringLiteral("teamTraining"));
        teamTraining_->addItem(tr("The team's consensus: every reader's labels where they agree, "
                                  "and adjudications (recommended)"),
                               QStringLiteral("consensus"));
        teamTraining_->addItem(tr("My labels only"), QStringLiteral("own"));
        form->addRow(tr("The model learns from:"), teamTraining_);
        auto* teamNote = new QLabel(tr("Changes what the model learns from as soon as you press "
                                       "OK; saved in the project."),
                                    project);
        teamNote->setWordWrap(true);
        form->addRow(QString(), teamNote);
        setTeamTraining(QString::fromStdString(stored.teamTraining));
      }
    } catch (const std::exception& e) {
      project->setEnabled(false);
      note->setText(QString::fromStdString(e.what()));
    }
    layout->addWidget(project);
  }

  // The trust checks: when the status line warns that a heatmap should not be trusted.
  auto* trust = new QGroupBox(tr("Trust checks of the heatmap"), this);
  auto* trustForm = new QFormLayout(trust);
  for (const explain::DiagnosticThresholdName& n : explain::diagnosticThresholdNames()) {
    auto* box = new QDoubleSpinBox(trust);
    const bool hu = n.max - n.min > 10;
    box->setDecimals(hu ? 0 : 2);
    box->setSingleStep(hu ? 10 : 0.05);
    box->setRange(n.min, n.max);
    if (hu) box->setSuffix(QStringLiteral(" HU"));
    box->setToolTip(QString::fromLatin1(n.name.data(), static_cast<int>(n.name.size())));
    trustForm->addRow(thresholdLabel(n.name), box);
    thresholds_.push_back(box);
  }
  layout->addWidget(trust);
  setDiagnosticThresholds(savedDiagnosticThresholds(settings_));

  error_ = new QLabel(this);
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  layout->addWidget(error_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
  layout->addWidget(buttons_);

  fillKeys(KeyBindings::load(settings_));
  resize(680, 900);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::fillKeys(const KeyBindings& bindings) {
  for (int row = 0; row < kCommandCount; ++row)
    showKeys(static_cast<std::size_t>(row), bindings.keys(commandAt(row)));
  onKeysEdited();
}

KeyBindings SettingsDialog::keyBindings() const {
  KeyBindings bindings;
  for (int row = 0; row < kCommandCount; ++row) {
    const auto index = static_cast<std::size_t>(row);
    QList<QKeySequence> keys;
    for (const QKeySequenceEdit* edit : {first_[index], second_[index]})
      if (!edit->keySequence().isEmpty()) keys.append(edit->keySequence());
    keys.append(extra_[index]);
    bindings.setKeys(commandAt(row), keys);
  }
  return bindings;
}

void SettingsDialog::setKeys(Command command, const QList<QKeySequence>& keys) {
  showKeys(static_cast<std::size_t>(command), keys);
  onKeysEdited();
}

void SettingsDialog::showKeys(std::size_t row, const QList<QKeySequence>& keys) {
  const QSignalBlocker blockFirst(first_[row]);
  const QSignalBlocker blockSecond(second_[row]);
  first_[row]->setKeySequence(keys.value(0));
  second_[row]->setKeySequence(keys.value(1));
  extra_[row] = keys.size() > 2 ? keys.mid(2) : QList<QKeySequence>{};
}

QStringList SettingsDialog::conflicts() const {
  return keyBindings().conflicts();
}

bool SettingsDialog::canAccept() const {
  return buttons_->button(QDialogButtonBox::Ok)->isEnabled();
}

void SettingsDialog::onKeysEdited() {
  const QStringList clashes = conflicts();
  conflicts_->setText(clashes.isEmpty()
                          ? QString()
                          : tr("These keys do more than one thing; change them to save:") +
                                QLatin1Char('\n') + clashes.join(QLatin1Char('\n')));
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(clashes.isEmpty());
}

void SettingsDialog::restoreDefaults() {
  fillKeys(KeyBindings::defaults());
  setDiagnosticThresholds(explain::DiagnosticThresholds{});
}

QString SettingsDialog::language() const {
  return language_->currentData().toString();
}

void SettingsDialog::setLanguage(const QString& language) {
  if (const int index = language_->findData(language); index >= 0)
    language_->setCurrentIndex(index);
}

bool SettingsDialog::hasProjectSettings() const {
  return snapshot_ != nullptr;
}

int SettingsDialog::snapshotEvery() const {
  return snapshot_ != nullptr ? snapshot_->value() : 0;
}

void SettingsDialog::setSnapshotEvery(int labels) {
  if (snapshot_ != nullptr) snapshot_->setValue(labels);
}

QString SettingsDialog::trainingMode() const {
  return mode_ != nullptr ? mode_->currentData().toString() : QString();
}

void SettingsDialog::setTrainingMode(const QString& mode) {
  if (mode_ == nullptr) return;
  if (const int index = mode_->findData(mode); index >= 0) mode_->setCurrentIndex(index);
}

QString SettingsDialog::teamTraining() const {
  return teamTraining_ != nullptr ? teamTraining_->currentData().toString() : QString();
}

void SettingsDialog::setTeamTraining(const QString& source) {
  if (teamTraining_ == nullptr) return;
  if (const int index = teamTraining_->findData(source); index >= 0)
    teamTraining_->setCurrentIndex(index);
}

QString SettingsDialog::errorText() const {
  return error_->text();
}

explain::DiagnosticThresholds savedDiagnosticThresholds(const QSettings& settings) {
  explain::DiagnosticThresholds thresholds;
  for (const explain::DiagnosticThresholdName& n : explain::diagnosticThresholdNames()) {
    bool ok = false;
    const double value = settings.value(thresholdKey(n.name)).toDouble(&ok);
    if (ok && std::isfinite(value) && value >= n.min && value <= n.max)
      thresholds.*(n.field) = value;
  }
  return thresholds;
}

explain::DiagnosticThresholds SettingsDialog::diagnosticThresholds() const {
  explain::DiagnosticThresholds thresholds;
  const auto& names = explain::diagnosticThresholdNames();
  for (std::size_t i = 0; i < names.size(); ++i)
    thresholds.*(names[i].field) = thresholds_[i]->value();
  return thresholds;
}

void SettingsDialog::setDiagnosticThresholds(const explain::DiagnosticThresholds& thresholds) {
  const auto& names = explain::diagnosticThresholdNames();
  for (std::size_t i = 0; i < names.size(); ++i)
    thresholds_[i]->setValue(thresholds.*(names[i].field));
}

void SettingsDialog::accept() {
  if (!conflicts().isEmpty()) return;
  error_->clear();
  if (session_ != nullptr && snapshot_->isEnabled()) {
    try {
      const project::ProjectSettings stored = session_->storedSettings();
      if (stored.snapshotEvery != snapshotEvery() ||
          QString::fromStdString(stored.trainingMode) != trainingMode())
        session_->saveTrainingSettings(snapshotEvery(), trainingMode().toStdString());
      if (teamTraining_ != nullptr && QString::fromStdString(stored.teamTraining) != teamTraining())
        session_->setTeamTraining(teamTraining() == QStringLiteral("consensus"));
    } catch (const std::exception& e) {
      error_->setText(tr("The project's settings could not be saved: %1")
                          .arg(QString::fromStdString(e.what())));
      return;
    }
  }
  settings_.setValue(kLanguageKey, language());
  const explain::DiagnosticThresholds edited = diagnosticThresholds();
  const explain::DiagnosticThresholds builtIn;
  for (const explain::DiagnosticThresholdName& n : explain::diagnosticThresholdNames()) {
    const QString key = thresholdKey(n.name);
    if (edited.*(n.field) == builtIn.*(n.field)) {
      settings_.remove(key);
    } else {
      settings_.setValue(key, edited.*(n.field));
    }
  }
  const KeyBindings bindings = keyBindings();
  bindings.save(settings_);
  settings_.sync();
  emit keyBindingsChanged(bindings);
  QDialog::accept();
}

}  // namespace camlabel::ui
