// SPDX-License-Identifier: Apache-2.0
#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace camlabel::ui {

namespace {

std::string& current() {
  static std::string language = "en";
  return language;
}

QTranslator& translator() {
  static QTranslator instance;
  return instance;
}

/// Qt's own texts (wizard and dialog buttons, standard menus) from Debian's
/// qt6-translations-l10n; without that package they stay English.
QTranslator& qtTranslator() {
  static QTranslator instance;
  return instance;
}

}  // namespace

const std::string& uiLanguage() {
  return current();
}

std::string systemLanguage() {
  return QLocale::system().language() == QLocale::Japanese ? "ja" : "en";
}

bool setUiLanguage(const std::string& language) {
  if (language != "en" && language != "ja") return false;
  QCoreApplication::removeTranslator(&translator());
  QCoreApplication::removeTranslator(&qtTranslator());
  // Built by qt_add_translations from resources/translations/camlabel_LANGUAGE.ts; English's
  // holds only the singular and plural forms of texts that count ("%n image(s)").
  if (!translator().load(
          QStringLiteral(":/i18n/camlabel_%1.qm").arg(QString::fromStdString(language))))
    return false;
  QCoreApplication::installTranslator(&translator());
  if (language == "ja" && qtTranslator().load(QStringLiteral("qtbase_ja"),
                                              QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(&qtTranslator());
  current() = language;
  return true;
}

}  // namespace camlabel::ui
