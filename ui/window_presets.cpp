// SPDX-License-Identifier: Apache-2.0
#include "ui/window_presets.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>

#include "core/imaging/window.h"

namespace camlabel::ui {

void addWindowPresetActions(QMenu* menu, QObject* context,
                            const std::function<void(imaging::Window)>& apply,
                            const std::function<void()>& own) {
  struct Preset {
    const char* name;
    Qt::Key key;
    imaging::Window window;
  };
  for (const Preset& preset :
       {Preset{QT_TRANSLATE_NOOP("camlabel", "&Lung window"), Qt::Key_F1, imaging::kLungWindow},
        Preset{QT_TRANSLATE_NOOP("camlabel", "&Mediastinal window"), Qt::Key_F2,
               imaging::kMediastinalWindow},
        Preset{QT_TRANSLATE_NOOP("camlabel", "&Bone window"), Qt::Key_F3, imaging::kBoneWindow}}) {
    QAction* action = menu->addAction(QCoreApplication::translate("camlabel", preset.name));
    action->setShortcut(preset.key);
    const imaging::Window window = preset.window;
    QObject::connect(action, &QAction::triggered, context, [apply, window] { apply(window); });
  }
  QAction* stored = menu->addAction(QCoreApplication::translate("camlabel", "&Image's own window"));
  stored->setShortcut(Qt::Key_F4);
  QObject::connect(stored, &QAction::triggered, context, [own] { own(); });
}

}  // namespace camlabel::ui
