// SPDX-License-Identifier: Apache-2.0
#include "ui/key_bindings.h"

#include <QCoreApplication>
#include <QMap>
#include <QSettings>

#include <stdexcept>

namespace camlabel::ui {
namespace {

const char* const kIds[kCommandCount] = {
    "label0",  "label1",   "label2",         "label3",
    "label4",  "label5",   "label6",         "label7",
    "label8",  "label9",   "skip",           "undo",
    "next",    "previous", "next_in_series", "previous_in_series",
    "overlay", "compare",  "common_scale",   "training_panel",
    "help",    "quit"};

QString settingsKey(Command command) {
  return QStringLiteral("keys/") + commandId(command);
}

}  // namespace

Command commandAt(int index) {
  if (index < 0 || index >= kCommandCount) throw std::out_of_range("no such command");
  return static_cast<Command>(index);
}

QString commandId(Command command) {
  return QString::fromLatin1(kIds[static_cast<int>(command)]);
}

Command labelCommand(int classIndex) {
  if (classIndex < 0 || classIndex > 9) throw std::out_of_range("label keys are 0-9");
  return static_cast<Command>(static_cast<int>(Command::kLabel0) + classIndex);
}

QString commandDescription(Command command) {
  const int index = static_cast<int>(command);
  if (command <= Command::kLabel9)
    return QCoreApplication::translate("camlabel::ui::KeyBindings", "Label class %1").arg(index);
  switch (command) {
    case Command::kSkip:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Skip the image");
    case Command::kUndo:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Undo the last label");
    case Command::kNext:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Next image");
    case Command::kPrevious:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Previous image");
    case Command::kNextInSeries:
      return QCoreApplication::translate("camlabel::ui::KeyBindings",
                                         "Next slice of the series (towards the feet)");
    case Command::kPreviousInSeries:
      return QCoreApplication::translate("camlabel::ui::KeyBindings",
                                         "Previous slice of the series (towards the head)");
    case Command::kOverlay:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Heatmap overlay on/off");
    case Command::kCompare:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Compare before and after");
    case Command::kCommonScale:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Heatmaps on a common scale");
    case Command::kTrainingPanel:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Training panel");
    case Command::kHelp:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Keys and classes");
    case Command::kQuit:
      return QCoreApplication::translate("camlabel::ui::KeyBindings", "Save and quit");
    default:
      break;
  }
  return commandId(command);
}

KeyBindings KeyBindings::defaults() {
  KeyBindings b;
  for (int i = 0; i <= 9; ++i) {
    const auto key = static_cast<Qt::Key>(Qt::Key_0 + i);
    b.setKeys(labelCommand(i), {QKeySequence(key), QKeySequence(Qt::KeypadModifier | key)});
  }
  b.setKeys(Command::kSkip, {QKeySequence(Qt::Key_S)});
  b.setKeys(Command::kUndo, {QKeySequence(QKeySequence::Undo)});
  b.setKeys(Command::kNext, {QKeySequence(Qt::Key_Right)});
  b.setKeys(Command::kPrevious, {QKeySequence(Qt::Key_Left)});
  b.setKeys(Command::kNextInSeries, {QKeySequence(Qt::Key_PageDown)});
  b.setKeys(Command::kPreviousInSeries, {QKeySequence(Qt::Key_PageUp)});
  b.setKeys(Command::kOverlay, {QKeySequence(Qt::Key_C)});
  b.setKeys(Command::kCompare, {QKeySequence(Qt::Key_V)});
  b.setKeys(Command::kCommonScale, {QKeySequence(Qt::Key_K)});
  b.setKeys(Command::kTrainingPanel, {QKeySequence(Qt::Key_T)});
  b.setKeys(Command::kHelp, {QKeySequence(Qt::Key_H)});  // not HelpContents: F1 is the lung window
  b.setKeys(Command::kQuit, {QKeySequence(Qt::Key_Q), QKeySequence(QKeySequence::Quit)});
  return b;
}

QList<QKeySequence> KeyBindings::keys(Command command) const {
  return keys_[static_cast<std::size_t>(command)];
}

void KeyBindings::setKeys(Command command, QList<QKeySequence> keys) {
  keys.removeIf([](const QKeySequence& k) { return k.isEmpty(); });
  keys_[static_cast<std::size_t>(command)] = std::move(keys);
}

QList<QPair<QKeySequence, QString>> KeyBindings::reservedKeys() {
  const auto fixed = [](const char* what) {
    return QCoreApplication::translate("camlabel::ui::KeyBindings", what);
  };
  return {
      {QKeySequence(Qt::Key_F1), fixed("lung window (fixed)")},
      {QKeySequence(Qt::Key_F2), fixed("mediastinal window (fixed)")},
      {QKeySequence(Qt::Key_F3), fixed("bone window (fixed)")},
      {QKeySequence(Qt::Key_F4), fixed("the image's own window (fixed)")},
      {QKeySequence(Qt::Key_Escape), fixed("hide the help (fixed)")},
      {QKeySequence(Qt::CTRL | Qt::Key_Equal), fixed("zoom in (fixed)")},
      {QKeySequence(Qt::CTRL | Qt::Key_Plus), fixed("zoom in (fixed)")},
      {QKeySequence(Qt::CTRL | Qt::Key_Minus), fixed("zoom out (fixed)")},
      {QKeySequence(Qt::CTRL | Qt::Key_0), fixed("fit the image (fixed)")},
  };
}

QStringList KeyBindings::conflicts() const {
  QMap<QString, QStringList> users;  // portable key text -> commands
  for (const auto& [key, what] : reservedKeys())
    users[key.toString(QKeySequence::PortableText)].append(what);
  for (int i = 0; i < kCommandCount; ++i)
    for (const QKeySequence& key : keys_[static_cast<std::size_t>(i)])
      users[key.toString(QKeySequence::PortableText)].append(commandDescription(commandAt(i)));
  QStringList lines;
  for (auto it = users.cbegin(); it != users.cend(); ++it) {
    if (it.value().size() < 2) continue;
    lines.append(QKeySequence(it.key()).toString(QKeySequence::NativeText) + QStringLiteral(": ") +
                 it.value().join(QStringLiteral(", ")));
  }
  return lines;
}

KeyBindings KeyBindings::load(const QSettings& settings) {
  KeyBindings b = defaults();
  for (int i = 0; i < kCommandCount; ++i) {
    const Command command = commandAt(i);
    const QVariant value = settings.value(settingsKey(command));
    if (!value.isValid()) continue;
    QList<QKeySequence> keys;
    bool readable = true;
    for (const QString& text : value.toString().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
      const QKeySequence key = QKeySequence::fromString(text.trimmed(), QKeySequence::PortableText);
      if (key.isEmpty() || key[0].key() == Qt::Key_unknown) readable = false;
      keys.append(key);
    }
    if (readable) b.setKeys(command, keys);
  }
  return b;
}

void KeyBindings::save(QSettings& settings) const {
  const KeyBindings builtIn = defaults();
  for (int i = 0; i < kCommandCount; ++i) {
    const Command command = commandAt(i);
    if (keys(command) == builtIn.keys(command)) {
      settings.remove(settingsKey(command));
      continue;
    }
    QStringList texts;
    for (const QKeySequence& key : keys(command))
      texts.append(key.toString(QKeySequence::PortableText));
    settings.setValue(settingsKey(command), texts.join(QLatin1Char(';')));
  }
}

}  // namespace camlabel::ui
