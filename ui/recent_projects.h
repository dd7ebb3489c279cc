// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace camlabel::ui {

/// How many project folders the start window remembers.
inline constexpr int kMaxRecentProjects = 10;

/// The project folders opened lately ("recentProjects" in the settings file), most recent first,
/// at most kMaxRecentProjects, as absolute clean paths. Folders that have since been moved or
/// deleted are still listed: see missingRecentProjects().
QStringList recentProjects(const QSettings& settings);
/// Puts dir first (made absolute and clean), removing its earlier entry and the oldest ones
/// beyond kMaxRecentProjects.
void addRecentProject(QSettings& settings, const QString& dir);
/// Removes dir from the list; nothing happens when it is not there.
void removeRecentProject(QSettings& settings, const QString& dir);
/// The listed folders that no longer hold a project (moved, deleted, on an unmounted disk).
QStringList missingRecentProjects(const QSettings& settings);
/// Removes the missing folders from the list and returns them.
QStringList forgetMissingRecentProjects(QSettings& settings);

}  // namespace camlabel::ui
