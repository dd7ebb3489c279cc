// SPDX-License-Identifier: Apache-2.0
#pragma once
// The names of models and counts of labels, in the reader's language. Core names a model as data
// (learning::ModelName); its describe() is the English the CLI prints.

#include <QString>

#include <cstdint>

#include "core/learning/model_name.h"

namespace camlabel::session {
struct ModelSource;
}

namespace camlabel::ui {

/// "1 label", "3 labels".
QString labelCount(std::int64_t n);
/// "v2 + 3 labels", "base", "v3 (30 labels)", "ImageNet architecture, random weights".
QString modelName(const learning::ModelName& name);
/// A model a trust tool can load: "now (v2 + 3 labels)" for the newest weights, else its name.
QString modelSourceName(const session::ModelSource& source);

}  // namespace camlabel::ui
