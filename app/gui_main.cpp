#include <cstdio>
#include <cstring>

#include <QApplication>
#include <QCommandLineParser>

#include "core/common/version.h"
#include "ui/slice_viewer.h"

int main(int argc, char** argv) {
  // Answered before QApplication exists, so it works without a display.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
      std::printf("%s %s\n", camlabel::kAppName, camlabel::kVersion);
      return 0;
    }
  }
  QApplication app(argc, argv);
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
      QCoreApplication::translate("main", "Render the window to a PNG file and exit."), "file");
  parser.addOption(screenshot);
  parser.addPositionalArgument(
      "paths", QCoreApplication::translate("main", "Images or folders of images to show."),
      "[paths...]");
  parser.process(app);

  camlabel::ui::SliceViewer viewer;
  std::vector<std::filesystem::path> paths;
  for (const QString& path : parser.positionalArguments())
    paths.emplace_back(path.toStdString());
  if (!paths.empty()) viewer.openPaths(paths);
  viewer.show();
  if (parser.isSet(screenshot)) {
    // Works without a display under QT_QPA_PLATFORM=offscreen: for docs and checks.
    QApplication::processEvents();
    const QString file = parser.value(screenshot);
    if (!viewer.grab().save(file, "PNG")) {
      std::fprintf(stderr, "camlabel: cannot write the screenshot '%s'\n", qPrintable(file));
      return 1;
    }
    return 0;
  }
  return QApplication::exec();
}
