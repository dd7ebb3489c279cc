// SPDX-License-Identifier: Apache-2.0
#include "core/project/label_log.h"

namespace camlabel::project {

std::vector<LoggedLabel> readLabelLog(sqlite::Database& db, std::int64_t afterId, int limit) {
  auto s = db.prepare(
      "SELECT l.id, l.action, l.class_index, l.annotator, l.time, l.model_version, "
      "l.predicted_class, l.probability, l.reverts, i.sha256, i.rel_path "
      "FROM labels l JOIN images i ON i.id = l.image_id WHERE l.id > ? ORDER BY l.id LIMIT ?");
  s.bind(1, afterId).bind(2, limit);
  std::vector<LoggedLabel> out;
  while (s.step()) {
    LoggedLabel l;
    l.id = s.columnInt(0);
    l.action = s.columnText(1);
    if (!s.isNull(2)) l.classIndex = static_cast<int>(s.columnInt(2));
    l.annotator = s.columnText(3);
    l.time = s.columnText(4);
    if (!s.isNull(5)) l.context.modelVersion = static_cast<int>(s.columnInt(5));
    if (!s.isNull(6)) l.context.predictedClass = static_cast<int>(s.columnInt(6));
    if (!s.isNull(7)) l.context.probability = s.columnDouble(7);
    if (!s.isNull(8)) l.reverts = s.columnInt(8);
    l.imageSha256 = s.columnText(9);
    l.imagePath = s.columnText(10);
    out.push_back(std::move(l));
  }
  return out;
}

std::int64_t countLabelsAfter(sqlite::Database& db, std::int64_t afterId) {
  auto s = db.prepare("SELECT COUNT(*) FROM labels WHERE id > ?");
  s.bind(1, afterId).step();
  return s.columnInt(0);
}

}  // namespace camlabel::project
