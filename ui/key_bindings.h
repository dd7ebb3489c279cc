// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QKeySequence>
#include <QList>
#include <QPair>
#include <QString>

#include <vector>

class QSettings;

namespace camlabel::ui {

/// The labelling window's commands whose keys a user may change. Labels 0-9 are commands too,
/// so a user with another keyboard layout can move them.
enum class Command {
  kLabel0,
  kLabel1,
  kLabel2,
  kLabel3,
  kLabel4,
  kLabel5,
  kLabel6,
  kLabel7,
  kLabel8,
  kLabel9,
  kSkip,
  kUndo,
  kNext,
  kPrevious,
  kNextInSeries,      ///< the next slice of the same DICOM series (towards the feet)
  kPreviousInSeries,  ///< the previous slice of the same series (towards the head)
  kOverlay,
  kCompare,
  kCommonScale,
  kTrainingPanel,
  kHelp,
  kQuit,
};
inline constexpr int kCommandCount = static_cast<int>(Command::kQuit) + 1;

/// Command `index` (0..kCommandCount-1).
Command commandAt(int index);
/// Stable name used in the settings file ("label0", "skip", "compare", ...).
QString commandId(Command command);
/// What the command does, in the interface's language (for the help overlay and settings).
QString commandDescription(Command command);
/// The label command of class `classIndex` (0..9).
Command labelCommand(int classIndex);

/// Keys of every command. The first key of each command is the one shown in menus and help.
class KeyBindings {
 public:
  /// The built-in keys: 0-9 (and keypad 0-9), S, Ctrl+Z, Right, Left, Page Down, Page Up, C, V,
  /// K, T, H, Q.
  static KeyBindings defaults();

  QList<QKeySequence> keys(Command command) const;
  /// Replaces the command's keys (an empty list unbinds it).
  void setKeys(Command command, QList<QKeySequence> keys);

  /// The commands that share a key with another command or with one of the window's fixed keys
  /// (reservedKeys()), as "key: command, command" lines in the interface's language; empty when
  /// every key does one thing.
  QStringList conflicts() const;
  /// Keys the window keeps for itself, with what they do: F1-F4 (window presets), Esc (hide the
  /// help), Ctrl+=, Ctrl++, Ctrl+- and Ctrl+0 (zoom).
  static QList<QPair<QKeySequence, QString>> reservedKeys();

  /// Reads "keys/<command id>" entries (portable text, ";"-separated) over the defaults; a
  /// missing or unreadable entry keeps the default.
  static KeyBindings load(const QSettings& settings);
  /// Writes every command's keys; commands left at their defaults are removed from the file.
  void save(QSettings& settings) const;

  bool operator==(const KeyBindings&) const = default;

 private:
  std::vector<QList<QKeySequence>> keys_ = std::vector<QList<QKeySequence>>(kCommandCount);
};

}  // namespace camlabel::ui
