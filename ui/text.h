// SPDX-License-Identifier: Apache-2.0
#pragma once
// Text between core (UTF-8 std::string, std::filesystem::path) and Qt.

#include <QString>

#include <filesystem>
#include <string>

namespace camlabel::ui {

inline QString fromUtf8(const std::string& text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

inline std::filesystem::path toPath(const QString& path) {
  return std::filesystem::path(path.toStdString());
}

}  // namespace camlabel::ui
