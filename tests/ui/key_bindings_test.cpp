// SPDX-License-Identifier: Apache-2.0
// Rebindable keys: the defaults do one thing each, a clash is named, and a user's choice survives
// a restart through the settings file while a damaged entry falls back to the default.

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "ui/key_bindings.h"

using camlabel::ui::Command;
using camlabel::ui::KeyBindings;

class KeyBindingsTest : public QObject {
  Q_OBJECT

 private slots:
  void defaultsAreTheDocumentedKeysWithoutClashes() {
    const KeyBindings keys = KeyBindings::defaults();
    QCOMPARE(keys.keys(Command::kLabel3).first(), QKeySequence(Qt::Key_3));
    QVERIFY(keys.keys(Command::kLabel3).contains(QKeySequence(Qt::KeypadModifier | Qt::Key_3)));
    QCOMPARE(keys.keys(Command::kSkip), QList<QKeySequence>{QKeySequence(Qt::Key_S)});
    QCOMPARE(keys.keys(Command::kUndo).first(), QKeySequence(Qt::CTRL | Qt::Key_Z));
    QCOMPARE(keys.keys(Command::kHelp).first(), QKeySequence(Qt::Key_H));
    QVERIFY2(keys.conflicts().isEmpty(), qPrintable(keys.conflicts().join('\n')));
  }

  void aKeyGivenToTwoCommandsIsReported() {
    KeyBindings keys = KeyBindings::defaults();
    keys.setKeys(Command::kSkip, {QKeySequence(Qt::Key_5)});
    const QStringList clashes = keys.conflicts();
    QCOMPARE(clashes.size(), 1);
    QVERIFY(clashes.first().startsWith("5: "));
    QVERIFY(clashes.first().contains("Label class 5"));
    QVERIFY(clashes.first().contains("Skip the image"));
  }

  void aKeyTheWindowKeepsForItselfIsReported() {
    KeyBindings keys = KeyBindings::defaults();
    keys.setKeys(Command::kCompare, {QKeySequence(Qt::Key_F2)});
    keys.setKeys(Command::kHelp, {QKeySequence(Qt::CTRL | Qt::Key_0)});
    const QStringList clashes = keys.conflicts();
    QCOMPARE(clashes.size(), 2);
    QVERIFY2(clashes.join('\n').contains("mediastinal window (fixed)"),
             qPrintable(clashes.join('\n')));
    QVERIFY(clashes.join('\n').contains("Compare before and after"));
    QVERIFY(clashes.join('\n').contains("fit the image (fixed)"));
  }

  void aChoiceSurvivesARestartAndDamageFallsBackToTheDefault() {
    QTemporaryDir dir;
    const QString file = dir.filePath("camlabel.ini");
    {
      QSettings settings(file, QSettings::IniFormat);
      KeyBindings keys = KeyBindings::defaults();
      keys.setKeys(Command::kSkip, {QKeySequence(Qt::Key_Space), QKeySequence(Qt::Key_X)});
      keys.setKeys(Command::kCompare, {});
      keys.save(settings);
      // Defaults are not written: a later release may change them.
      QVERIFY(!settings.contains("keys/undo"));
    }
    {
      QSettings settings(file, QSettings::IniFormat);
      const KeyBindings keys = KeyBindings::load(settings);
      QCOMPARE(keys.keys(Command::kSkip),
               (QList<QKeySequence>{QKeySequence(Qt::Key_Space), QKeySequence(Qt::Key_X)}));
      QVERIFY(keys.keys(Command::kCompare).isEmpty());
      QCOMPARE(keys.keys(Command::kUndo), KeyBindings::defaults().keys(Command::kUndo));
      settings.setValue("keys/skip", "NoSuchKey+Banana");
    }
    QSettings settings(file, QSettings::IniFormat);
    QCOMPARE(KeyBindings::load(settings).keys(Command::kSkip),
             KeyBindings::defaults().keys(Command::kSkip));
  }
};

QTEST_MAIN(KeyBindingsTest)
#include "key_bindings_test.moc"
