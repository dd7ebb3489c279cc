#include "ui/language.h"

#include <QCoreApplication>
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
  if (language == "ja") {
    // Built by qt_add_translations from resources/translations/camlabel_ja.ts.
    if (!translator().load(QStringLiteral(":/i18n/camlabel_ja.qm"))) return false;
    QCoreApplication::installTranslator(&translator());
  }
  current() = language;
  return true;
}

}  // namespace camlabel::ui
