#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "core/common/progress.h"
#include "core/learning/metrics.h"
#include "core/project/export.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

void printImport(const project::ImportReport& report) {
  if (!report.slicesFolder.empty()) {
    std::cout << "a labelled dataset (labels.csv, masks/): only the slices in "
              << report.slicesFolder << "/ are imported, not the lesion masks in masks/\n";
  }
  std::cout << "added " << report.added << ", duplicates " << report.duplicates
            << ", already imported " << report.alreadyImported << ", unreadable "
            << report.failures.size() << '\n';
  if (const std::string skipped = project::describeSkipped(report); !skipped.empty())
    std::cout << "skipped, not slices to label: " << skipped << '\n';
  for (const auto& failure : report.failures)
    std::cerr << "unreadable: " << failure.path << ": " << failure.reason << '\n';
  if (const std::string why = project::whyNothingAdded(report); !why.empty())
    std::cout << why << '\n';
}

nlohmann::json statusJson(project::Project& p) {
  const project::ProjectCounts counts = p.counts();
  const project::ClassScheme& scheme = p.settings().scheme;
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t i = 0; i < scheme.classes.size(); ++i)
    classes.push_back({{"index", i},
                       {"en", scheme.classes[i].en},
                       {"ja", scheme.classes[i].ja},
                       {"count", counts.perClass[i]}});
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : p.modelVersions())
    versions.push_back({{"version", v.version},
                        {"file", v.file},
                        {"sha256", v.sha256},
                        {"labels_seen", v.labelsSeen},
                        {"time", v.time},
                        {"metrics", nlohmann::json::parse(v.metricsJson, nullptr, false)},
                        {"current", v.isCurrent}});
  nlohmann::json position;
  if (const auto at = p.position()) position = p.image(*at).relativePath;
  nlohmann::json next;
  if (const auto id = p.nextUnlabelled()) next = p.image(*id).relativePath;
  const std::vector<std::string> names = scheme.englishNames();
  // The honest learning curve of an online learner: each label against the prediction shown
  // when it was given.
  const learning::PrequentialMetrics prequential =
      learning::prequentialAccuracy(session::prequentialRecords(p), static_cast<int>(names.size()));
  return {{"scheme", scheme.name},
          {"prequential", learning::toJson(prequential, names)},
          {"images", counts.images},
          {"labelled", counts.labelled},
          {"skipped", counts.skipped},
          {"unlabelled", counts.unlabelled},
          {"classes", classes},
          {"model_versions", versions},
          {"position", position},
          {"next_unlabelled", next},
          {"snapshot_every", p.settings().snapshotEvery},
          {"created_by_version", p.settings().createdByVersion}};
}

void printStatus(const nlohmann::json& s) {
  std::cout << "scheme: " << s["scheme"].get<std::string>() << '\n'
            << "images: " << s["images"] << " (labelled " << s["labelled"] << ", skipped "
            << s["skipped"] << ", unlabelled " << s["unlabelled"] << ")\n";
  for (const auto& c : s["classes"])
    std::cout << "  " << c["index"] << ' ' << c["en"].get<std::string>() << ": " << c["count"]
              << '\n';
  std::cout << "model versions: " << s["model_versions"].size() << '\n';
  for (const auto& v : s["model_versions"])
    std::cout << "  v" << v["version"] << ' ' << v["file"].get<std::string>() << " ("
              << v["labels_seen"] << " labels)" << (v["current"].get<bool>() ? " current" : "")
              << '\n';
  const auto& q = s["prequential"];
  std::cout << "prequential accuracy: last " << q["window_count"] << " labels "
            << (q["window_accuracy"].is_null() ? std::string("-")
                                               : std::to_string(q["window_accuracy"].get<double>()))
            << ", cumulative "
            << (q["cumulative_accuracy"].is_null()
                    ? std::string("-")
                    : std::to_string(q["cumulative_accuracy"].get<double>()))
            << " (" << q["evaluated"] << " labels with a prediction)\n";
  std::cout << "position: " << (s["position"].is_null() ? "-" : s["position"].get<std::string>())
            << '\n'
            << "next unlabelled: "
            << (s["next_unlabelled"].is_null() ? "-" : s["next_unlabelled"].get<std::string>())
            << '\n';
}

}  // namespace

void addProjectCommands(CLI::App& app) {
  CLI::App* projectCmd =
      app.add_subcommand("project", "Create, import into, inspect and export a label project");
  projectCmd->require_subcommand(1);
  {
    struct Args {
      fs::path dir, images, weights;
      std::string scheme = "pattern";
      int snapshotEvery = 10;
      int modelSize = project::ProjectSettings{}.modelSize;
    };
    auto args = std::make_shared<Args>();
    CLI::App* create =
        projectCmd->add_subcommand("new", "Create a project and import the image folder");
    create->add_option("DIR", args->dir, "project folder to create")->required();
    create->add_option("--images", args->images, "folder of DICOM/PNG/JPEG/TIFF/BMP slices")
        ->required()
        ->check(CLI::ExistingDirectory);
    create->add_option("--scheme", args->scheme, "pattern | features | FILE.json")
        ->default_str("pattern");
    create->add_option("--weights", args->weights, "base ResNet50 weights (.pth)")
        ->check(CLI::ExistingFile);
    create->add_option("--snapshot-every", args->snapshotEvery, "labels between checkpoints")
        ->check(CLI::PositiveNumber)
        ->default_str("10");
    create->add_option("--model-size", args->modelSize, "pixels per side of the model's input")
        ->capture_default_str()
        ->check(CLI::Range(32, 1024));
    create->callback([args] {
      project::ProjectSettings settings;
      settings.scheme = project::resolveScheme(args->scheme);
      settings.imageRoot = args->images;
      settings.baseWeights = args->weights.empty() ? fs::path() : fs::absolute(args->weights);
      settings.snapshotEvery = args->snapshotEvery;
      settings.modelSize = args->modelSize;
      auto p = project::Project::create(args->dir, settings);
      TerminalProgress progress;
      printImport(p->importImages(std::nullopt, &progress));
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto folder = std::make_shared<fs::path>();
    CLI::App* importCmd = projectCmd->add_subcommand(
        "import", "Import new images (default: the project's image folder, recursively)");
    importCmd->add_option("DIR", *dir, "project folder")->required();
    importCmd->add_option("FOLDER", *folder, "folder inside the image folder")
        ->check(CLI::ExistingDirectory);
    importCmd->callback([dir, folder] {
      auto p = project::Project::open(*dir);
      TerminalProgress progress;
      printImport(p->importImages(folder->empty() ? std::nullopt : std::optional<fs::path>(*folder),
                                  &progress));
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto json = std::make_shared<bool>(false);
    CLI::App* status = projectCmd->add_subcommand(
        "status", "Counts per class, labelled/unlabelled/skipped, model versions, position");
    status->add_option("DIR", *dir, "project folder")->required();
    status->add_flag("--json", *json, "print JSON");
    status->callback([dir, json] {
      auto p = project::Project::open(*dir);
      const nlohmann::json s = statusJson(*p);
      if (*json)
        std::cout << s.dump(2) << '\n';
      else
        printStatus(s);
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto labels = std::make_shared<fs::path>();
    auto language = std::make_shared<std::string>("en");
    CLI::App* exportCmd = projectCmd->add_subcommand(
        "export", "Write the current label of every decided image as CSV or JSON");
    exportCmd->add_option("DIR", *dir, "project folder")->required();
    exportCmd->add_option("--labels", *labels, "FILE.csv or FILE.json")->required();
    exportCmd->add_option("--language", *language, "class names in en or ja")
        ->check(CLI::IsMember({"en", "ja"}))
        ->default_str("en");
    exportCmd->callback([dir, labels, language] {
      auto p = project::Project::open(*dir);
      const std::size_t rows = project::exportLabels(*p, *labels, *language);
      std::cout << "exported " << rows << " labels to " << labels->string() << '\n';
    });
  }
}

}  // namespace camlabel::cli
