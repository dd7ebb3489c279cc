// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGroupBox>

#include <optional>
#include <string>
#include <vector>

#include "core/project/class_scheme.h"
#include "core/project/project.h"

class QLabel;

namespace camlabel::ui {

/// The scheme's classes with the keys that give them; the image's current label stands out.
class ClassPanel : public QGroupBox {
  Q_OBJECT

 public:
  explicit ClassPanel(QWidget* parent = nullptr);

  /// language: "en" or "ja".
  void setScheme(const project::ClassScheme& scheme, const std::string& language);
  /// The image's decision: a class is highlighted, a skip is said below the list.
  void setCurrent(const std::optional<project::CurrentLabel>& label);
  /// The highlighted class, -1 when none.
  int highlighted() const { return highlighted_; }

 private:
  std::vector<QLabel*> rows_;
  QLabel* decision_ = nullptr;
  int highlighted_ = -1;
};

}  // namespace camlabel::ui
