// SPDX-License-Identifier: Apache-2.0
#include "ui/recent_projects.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include "core/project/project.h"

namespace camlabel::ui {
namespace {

constexpr const char* kKey = "recentProjects";

QString normalised(const QString& dir) {
  return QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
}

void store(QSettings& settings, QStringList list) {
  while (list.size() > kMaxRecentProjects)
    list.removeLast();
  settings.setValue(kKey, list);
}

}  // namespace

QStringList recentProjects(const QSettings& settings) {
  QStringList list;
  for (const QString& entry : settings.value(kKey).toStringList()) {
    if (entry.isEmpty()) continue;
    const QString dir = normalised(entry);
    if (!list.contains(dir)) list.append(dir);
  }
  while (list.size() > kMaxRecentProjects)
    list.removeLast();
  return list;
}

void addRecentProject(QSettings& settings, const QString& dir) {
  const QString entry = normalised(dir);
  QStringList list = recentProjects(settings);
  list.removeAll(entry);
  list.prepend(entry);
  store(settings, list);
}

void removeRecentProject(QSettings& settings, const QString& dir) {
  QStringList list = recentProjects(settings);
  list.removeAll(normalised(dir));
  store(settings, list);
}

QStringList missingRecentProjects(const QSettings& settings) {
  QStringList missing;
  for (const QString& dir : recentProjects(settings))
    if (!project::isProjectFolder(dir.toStdString())) missing.append(dir);
  return missing;
}

QStringList forgetMissingRecentProjects(QSettings& settings) {
  const QStringList missing = missingRecentProjects(settings);
  QStringList list = recentProjects(settings);
  for (const QString& dir : missing)
    list.removeAll(dir);
  store(settings, list);
  return missing;
}

}  // namespace camlabel::ui
