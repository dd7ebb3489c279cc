// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <QApplication>
#include <QCommandLineParser>
#include <QListWidget>
#include <QSettings>

#include "core/common/allocator.h"
#include "core/common/version.h"
#include "core/model/classifier.h"
#include "core/model/resnet.h"
#include "core/pacs/pacs_client.h"
#include "core/project/project.h"
#include "core/session/session.h"
#include "ui/label_window.h"
#include "ui/language.h"
#include "ui/project_wizard.h"
#include "ui/recent_projects.h"
#include "ui/resume_summary.h"
#include "ui/screenshot.h"
#include "ui/settings_dialog.h"
#include "ui/slice_viewer.h"
#include "ui/start_window.h"

namespace {

/// --screenshot on a project waits this long for the first prediction (ResNet50 on a slow CPU).
constexpr int kScreenshotWaitMs = 300'000;

/// --network, as in camlabel-cli: the product's ResNet50, or a tiny ResNet for tests and quick
/// trials. A project's versions fit only the network they were trained with.
std::optional<camlabel::model::ResNetConfig> networkConfig(const QString& name) {
  if (const auto config = camlabel::model::namedNetwork(name.toStdString())) return config;
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  camlabel::keepFreedMemoryForReuse();  // before any thread starts
  // Answered before QApplication exists, so it works without a display.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
      std::printf("%s %s\n", camlabel::kAppName, camlabel::kVersion);
      return 0;
    }
  }
  QApplication app(argc, argv);
  camlabel::model::useAllProcessors();
  QApplication::setApplicationName(camlabel::kAppName);
  QApplication::setApplicationVersion(camlabel::kVersion);
  QApplication::setOrganizationName(camlabel::kAppName);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QCoreApplication::translate("main", "Label CT slices while a model learns from them."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshot(
      "screenshot",
      QCoreApplication::translate(
          "main",
          "Render the window to a PNG file and exit (for a project: once the first "
          "image and its prediction are shown)."),
      "file");
  parser.addOption(screenshot);
  const QCommandLineOption screenshotView(
      "screenshot-view",
      QCoreApplication::translate(
          "main",
          "With --screenshot on a project: labelling (default), overlay, compare, training, help, "
          "agreement (the Reader agreement dialog) or disagreements (a team project's "
          "Disagreements dialog); without one: new-project-pacs (the "
          "new-project wizard, slices from a PACS)."),
      "view", "labelling");
  parser.addOption(screenshotView);
  // Hidden from --help, for tests and quick trials: "--network tiny" opens a project with a
  // small ResNet ({1,1,1,1} blocks, width 8) instead of ResNet50, as camlabel-cli's --network.
  QCommandLineOption network("network",
                             QCoreApplication::translate("main", "resnet50 (default) or tiny."),
                             "name", "resnet50");
  network.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOption(network);
  // The language chosen in Settings, else the system's; --language overrides both.
  QSettings settings;
  const QString savedLanguage = camlabel::ui::savedLanguage(settings);
  const QCommandLineOption language(
      "language",
      QCoreApplication::translate(
          "main",
          "User interface language: en or ja (default: as chosen in Settings, else the "
          "system's)."),
      "en|ja",
      savedLanguage.isEmpty() ? QString::fromStdString(camlabel::ui::systemLanguage())
                              : savedLanguage);
  parser.addOption(language);
  parser.addPositionalArgument(
      "paths",
      QCoreApplication::translate(
          "main",
          "A project folder (holding project.sqlite) to label, or images or folders of "
          "images to show."),
      "[paths...]");
  parser.process(app);
  if (!camlabel::ui::setUiLanguage(parser.value(language).toStdString())) {
    std::fprintf(stderr, "camlabel: unknown language '%s': use en or ja\n",
                 qPrintable(parser.value(language)));
    return 2;
  }

  const auto config = networkConfig(parser.value(network));
  if (!config) {
    std::fprintf(stderr, "camlabel: unknown network '%s': use resnet50 or tiny\n",
                 qPrintable(parser.value(network)));
    return 2;
  }
  const auto view = camlabel::ui::parseScreenshotView(parser.value(screenshotView));
  if (!view) {
    std::fprintf(stderr,
                 "camlabel: unknown screenshot view '%s': use labelling, overlay, compare, "
                 "training, help or new-project-pacs\n",
                 qPrintable(parser.value(screenshotView)));
    return 2;
  }
  std::vector<std::filesystem::path> paths;
  for (const QString& path : parser.positionalArguments())
    paths.emplace_back(path.toStdString());

  camlabel::session::SessionOptions options;
  options.config = *config;
  const bool screenshotOnly = parser.isSet(screenshot);
  std::unique_ptr<QMainWindow> window;
  camlabel::ui::LabelWindow* labelWindow = nullptr;
  // Opens a project in the labelling window, remembered among the recent projects; after it
  // opened, a notice says what the session restored. A screenshot run leaves both out.
  auto openProject = [&](const std::filesystem::path& dir) {
    auto created = std::make_unique<camlabel::ui::LabelWindow>(dir, options);
    labelWindow = created.get();
    if (!screenshotOnly) {
      camlabel::ui::addRecentProject(settings, QString::fromStdString(dir.string()));
      camlabel::ui::LabelWindow* opened = labelWindow;
      QObject::connect(opened, &camlabel::ui::LabelWindow::sessionOpened, opened, [opened] {
        if (opened->session() != nullptr)
          camlabel::ui::showResumeNotice(opened, *opened->session());
      });
    }
    window = std::move(created);
    window->show();
  };
  // Without a path: the start window (recent projects, new project, open folder, demo). It is
  // only hidden once a project is chosen, as it is still on the stack of the signal's emitter.
  std::unique_ptr<camlabel::ui::StartWindow> start;
  QWidget* shown = nullptr;
  std::unique_ptr<camlabel::ui::ProjectWizard> wizard;
  if (paths.empty() && screenshotOnly && *view == camlabel::ui::ScreenshotView::kNewProjectPacs) {
    // For the user guide: the wizard's first page with slices from a PACS.
    wizard = std::make_unique<camlabel::ui::ProjectWizard>();
    wizard->setProjectFolder(QStringLiteral("/home/reader/ild-study"));
    wizard->setPacsSource(QStringLiteral("dicom://PACS_AET@pacs.hospital.local:104"),
                          QStringLiteral("1.2.840.113619.2.55.3.604688119.868.1234567890.123"));
    // What Find series lists for a typical chest CT, with the scout unticked.
    std::vector<camlabel::pacs::SeriesInfo> series(3);
    const std::array<std::pair<const char*, int>, 3> listed{
        {{"SCOUT", 2}, {"CHEST 1.25mm LUNG", 312}, {"CHEST 5mm", 64}}};
    for (std::size_t k = 0; k < series.size(); ++k) {
      series[k].seriesInstanceUid = "1.2.3." + std::to_string(k + 1);
      series[k].modality = "CT";
      series[k].seriesNumber = static_cast<int>(k + 1);
      series[k].description = listed[k].first;
      series[k].instances = listed[k].second;
    }
    wizard->showPacsSeries(series);
    if (auto* list = wizard->findChild<QListWidget*>(QStringLiteral("pacsSeries")))
      list->item(0)->setCheckState(Qt::Unchecked);
    wizard->show();
    shown = wizard.get();
  } else if (paths.empty()) {
    start = std::make_unique<camlabel::ui::StartWindow>(settings);
    QObject::connect(start.get(), &camlabel::ui::StartWindow::projectChosen, start.get(),
                     [&](const QString& dir) {
                       start->hide();
                       openProject(dir.toStdString());
                     });
    start->show();
    shown = start.get();
  } else if (paths.size() == 1 && camlabel::project::isProjectFolder(paths.front())) {
    openProject(paths.front());
    shown = window.get();
  } else {
    auto viewer = std::make_unique<camlabel::ui::SliceViewer>();
    viewer->openPaths(paths);
    window = std::move(viewer);
    window->show();
    shown = window.get();
  }
  if (parser.isSet(screenshot)) {
    // Works without a display under QT_QPA_PLATFORM=offscreen: for docs and checks.
    QImage image;
    if (labelWindow != nullptr) {
      image = camlabel::ui::captureWindow(*labelWindow, *view, kScreenshotWaitMs);
    } else {
      QApplication::processEvents();
      image = shown->grab().toImage();
    }
    const QString file = parser.value(screenshot);
    if (!image.save(file, "PNG")) {
      std::fprintf(stderr, "camlabel: cannot write the screenshot '%s'\n", qPrintable(file));
      return 1;
    }
    return 0;
  }
  return QApplication::exec();
}
