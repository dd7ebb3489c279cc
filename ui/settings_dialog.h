// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

#include "core/explain/diagnostics.h"
#include "ui/key_bindings.h"

class QComboBox;
class QDoubleSpinBox;
class QDialogButtonBox;
class QKeySequenceEdit;
class QLabel;
class QSettings;
class QSpinBox;
class QTableWidget;

namespace camlabel::session {
class Session;
}

namespace camlabel::ui {

/// The interface language saved by the settings dialog ("language": "en" or "ja"); empty when
/// none was chosen, so the system's applies.
QString savedLanguage(const QSettings& settings);

/// The trust checks' thresholds saved by the settings dialog ("trust/<name>", the names of
/// explain::diagnosticThresholdNames()) over the defaults; a value that is not a number in its
/// accepted range keeps the default.
explain::DiagnosticThresholds savedDiagnosticThresholds(const QSettings& settings);

/// Settings: the interface language (applies at the next start), every command's keys (two per
/// command, edited in place; keys shared by two commands are listed and block OK), and, when a
/// project is open, its snapshot interval and training mode (saved in the project; they apply
/// the next time it is opened) and, for a team project, what the model learns from (applies at
/// once). OK saves everything: language and keys in `settings`, the
/// project's values through the session; keyBindings() is then what the window should use.
class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  /// session may be null: the project's part is then not shown.
  SettingsDialog(QSettings& settings, session::Session* session, QWidget* parent = nullptr);
  ~SettingsDialog() override;

  /// The keys as edited.
  KeyBindings keyBindings() const;
  /// Replaces the keys of a command in the table (the first two are editable).
  void setKeys(Command command, const QList<QKeySequence>& keys);
  /// The clashes shown, as KeyBindings::conflicts() of the edited keys.
  QStringList conflicts() const;
  /// True when OK may be pressed (no clashes).
  bool canAccept() const;

  QString language() const;
  void setLanguage(const QString& language);
  bool hasProjectSettings() const;
  int snapshotEvery() const;
  void setSnapshotEvery(int labels);
  QString trainingMode() const;
  void setTrainingMode(const QString& mode);
  /// A team project's: what the model learns from, "consensus" or "own" (applies at once on
  /// OK); empty for a project of one workstation.
  QString teamTraining() const;
  void setTeamTraining(const QString& source);
  /// The trust checks' thresholds as edited (each within its accepted range).
  explain::DiagnosticThresholds diagnosticThresholds() const;
  void setDiagnosticThresholds(const explain::DiagnosticThresholds& thresholds);
  /// The problem that kept OK from saving (a project that refused the values); empty if none.
  QString errorText() const;

 public slots:
  void restoreDefaults();
  /// Saves and closes; refused (the dialog stays) while keys clash or when saving fails.
  void accept() override;

 signals:
  /// OK saved these keys: the window applies them (LabelWindow::setKeyBindings).
  void keyBindingsChanged(const KeyBindings& bindings);

 private:
  void fillKeys(const KeyBindings& bindings);
  /// Puts a command's keys into its row (the first two editable, the rest kept), quietly.
  void showKeys(std::size_t row, const QList<QKeySequence>& keys);
  void onKeysEdited();

  QSettings& settings_;
  std::vector<QDoubleSpinBox*> thresholds_;  ///< one per explain::diagnosticThresholdNames()
  session::Session* session_;
  QComboBox* language_ = nullptr;
  QTableWidget* table_ = nullptr;
  /// Two editors per command, by command index.
  std::vector<QKeySequenceEdit*> first_;
  std::vector<QKeySequenceEdit*> second_;
  /// Keys beyond the second of each command (kept, not shown).
  std::vector<QList<QKeySequence>> extra_;
  QLabel* conflicts_ = nullptr;
  QSpinBox* snapshot_ = nullptr;
  QComboBox* mode_ = nullptr;
  QComboBox* teamTraining_ = nullptr;  ///< a team project's only
  QLabel* error_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace camlabel::ui
