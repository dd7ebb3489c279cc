// SPDX-License-Identifier: Apache-2.0
#include "ui/model_names.h"

#include <QObject>

#include "core/session/trust_tools.h"
#include "ui/text.h"

namespace camlabel::ui {

QString labelCount(std::int64_t n) {
  return n == 1 ? QObject::tr("1 label") : QObject::tr("%1 labels").arg(n);
}

namespace {

QString versionName(int version) {
  return version == 0 ? QObject::tr("base") : QStringLiteral("v%1").arg(version);
}

}  // namespace

QString modelName(const learning::ModelName& name) {
  using Kind = learning::ModelName::Kind;
  switch (name.kind) {
    case Kind::kImageNetRandom:
      return QObject::tr("ImageNet architecture, random weights");
    case Kind::kImageNet:
      return QObject::tr("ImageNet model (%1)").arg(fromUtf8(name.source));
    case Kind::kVersion:
      return QObject::tr("%1 (%2)").arg(versionName(name.version), labelCount(name.labels));
    case Kind::kTrained:
      break;
  }
  if (name.labels <= 0) return versionName(name.version);
  return QObject::tr("%1 + %2").arg(versionName(name.version), labelCount(name.labels));
}

QString modelSourceName(const session::ModelSource& source) {
  if (source.snapshot) return QObject::tr("now (%1)").arg(modelName(source.name));
  return modelName(source.name);
}

}  // namespace camlabel::ui
