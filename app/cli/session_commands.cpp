// SPDX-License-Identifier: Apache-2.0
// demo, label, eval: an annotation session without a display, through core's Session (the same
// code the GUI drives).

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/model_commands_list.h"
#include "cli/terminal_progress.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/explain/cam.h"
#include "core/explain/report.h"
#include "core/learning/active_learning.h"
#include "core/learning/metrics.h"
#include "core/learning/trainer.h"
#include "core/model/classifier.h"
#include "core/project/project.h"
#include "core/session/demo.h"
#include "core/session/evaluation.h"
#include "core/session/label_csv.h"
#include "core/session/prequential.h"
#include "core/session/replay.h"
#include "core/session/session.h"
#include "core/session/trust_tools.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// Rows an evaluation left out, with the reason.
void printLeftOut(const std::vector<std::string>& problems) {
  for (const auto& problem : problems)
    std::cerr << "left out: " << problem << '\n';
}

// --- demo -----------------------------------------------------------------------------------

struct DemoArgs {
  std::string dir;
  int perClass = 30;
  int size = 256;
  std::uint64_t seed = 1;
  int modelSize = 224;
  int snapshotEvery = 10;
  std::string trainingMode = "auto";
};

void runDemo(const DemoArgs& args) {
  // Running the README's first command twice opens the same demo again.
  if (project::isProjectFolder(args.dir) && fs::exists(fs::path(args.dir) / "labels.csv")) {
    project::Project::open(args.dir);  // refuses anything that is not a sound project
    std::cout << args.dir << " already holds a camlabel project: left as it is\n";
    return;
  }
  session::DemoOptions options;
  options.perClass = args.perClass;
  options.size = args.size;
  options.seed = args.seed;
  options.project.modelSize = args.modelSize;
  options.project.snapshotEvery = args.snapshotEvery;
  if (!learning::isTrainingModeSetting(args.trainingMode)) {
    throw Error("unknown training mode '" + args.trainingMode +
                "': use auto, head, layer4 or full");
  }
  options.project.trainingMode = args.trainingMode;
  TerminalProgress progress;
  const session::DemoReport report = session::createDemoProject(args.dir, options, &progress);
  std::cout << "created the demo project " << report.projectDir.string() << '\n'
            << "  " << report.phantomImages << " synthetic slices of the 10 ILD patterns and "
            << report.realImages << " real CT slice to label\n"
            << "  " << report.heldOutImages << " held-out slices for eval in "
            << report.heldOutCsv.parent_path().string() << '\n'
            << "next:\n"
            << "  camlabel " << report.projectDir.string() << "\n"
            << "  camlabel-cli label " << report.projectDir.string() << " --from "
            << report.labelsCsv.string() << " --pace 3 --wait\n"
            << "  camlabel-cli eval " << report.projectDir.string() << " --labels "
            << report.heldOutCsv.string() << '\n';
}

// --- label ----------------------------------------------------------------------------------

struct LabelArgs {
  std::string dir;
  std::string from;
  bool wait = false;
  bool lockstep = false;
  double pace = 0;  ///< seconds per label, as a reader's time on each slice
  std::string annotator;
  NetworkArgs net;
  int limit = 0;
  std::string order = "file";
};

/// The row's file as a path relative to the project's image root, if it lies inside it.
std::optional<std::string> relativeToRoot(const std::string& file, const fs::path& root) {
  fs::path path(file);
  if (!path.is_absolute()) return path.lexically_normal().generic_string();
  const fs::path relative = path.lexically_normal().lexically_relative(root.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

void runLabel(const LabelArgs& args) {
  const std::vector<session::LabelRow> rows = session::readLabelCsv(args.from);
  session::SessionOptions options;
  options.annotator = args.annotator;
  options.config = args.net.config();
  options.device = args.net.torchDevice();
  // Without a reader's time between labels there is nothing to learn in: the replay trains each
  // label's round only, and what it writes does not depend on when the process stops.
  if (args.pace <= 0) {
    options.tuneTrainer = [](learning::TrainerOptions& t) { t.idleTraining = false; };
  }
  auto s = session::Session::open(args.dir, options);

  const session::ResumeReport& resumed = s->resumeReport();
  std::cout << "opened " << args.dir << ": " << s->imageCount() << " images, "
            << resumed.labelsInStore << " labelled, model "
            << (resumed.version ? "v" + std::to_string(*resumed.version) : std::string("base"));
  if (resumed.labelsRetrained > 0)
    std::cout << ", " << resumed.labelsRetrained << " labels to train again";
  std::cout << '\n';
  for (const auto& skipped : resumed.skippedCheckpoints)
    std::cerr << "skipped a damaged model version: " << skipped << '\n';

  const project::ClassScheme scheme = s->settings().scheme;
  const auto classCount = static_cast<int>(scheme.classes.size());
  std::set<int> before;
  for (const auto& v : s->modelVersions())
    before.insert(v.version);

  // The CSV is the oracle: every row's slice and class, checked before anything is recorded.
  std::vector<session::ReplayItem> items;
  int notInProject = 0;
  for (const session::LabelRow& row : rows) {
    if (row.label >= classCount) {
      throw InputError(args.from, "line " + std::to_string(row.line) + ": class " +
                                      std::to_string(row.label) + " is not in the scheme '" +
                                      scheme.name + "' (0 to " + std::to_string(classCount - 1) +
                                      ")");
    }
    const auto relative = relativeToRoot(row.file, s->settings().imageRoot);
    const auto image = relative ? s->findImage(*relative) : std::nullopt;
    if (!image) {
      std::cerr << "not in the project, skipped: " << row.file << " (line " << row.line << ")\n";
      ++notInProject;
      continue;
    }
    items.push_back({image->id, row.label});
  }
  const auto order = learning::parseLabellingOrder(args.order);
  if (!order)
    throw Error("unknown order '" + args.order + "': use file, spread, random or uncertain");
  int already = 0;
  for (const session::ReplayItem& item : items)
    already += session::alreadyGiven(*s, item) ? 1 : 0;
  if (already > 0)
    std::cout << already << " already labelled as the file says: not recorded again\n";
  if (*order == learning::LabellingOrder::kUncertain) {
    std::cout << "order: the model's choice; scoring " << items.size() << " slices first"
              << std::endl;
  }
  if (s->teamTraining()) {
    // A team project: which slices are this reader's to label, and what the model learns from,
    // come from the team's labels (read when the sender first reaches the server).
    const auto teamDeadline = std::chrono::steady_clock::now() + 10s;
    while (!s->teamTraining()->teamRead &&
           !(s->teamStatus()->attempted && !s->teamStatus()->reachable) &&
           std::chrono::steady_clock::now() < teamDeadline)
      std::this_thread::sleep_for(50ms);
  }
  session::ReplayOrder replay(*s, items, *order);
  const std::vector<std::string> classNames = scheme.englishNames();

  int given = 0;
  const auto start = std::chrono::steady_clock::now();
  const int limit = args.limit > 0 ? args.limit : std::numeric_limits<int>::max();
  while (given < limit) {
    const std::optional<session::ReplayStep> step = replay.next();
    if (!step) break;
    const session::ReplayItem& item = step->item;
    const project::ImageRecord image = s->image(item.imageId);
    // Test, then train: the prediction on screen when the label is given is recorded with it.
    std::optional<session::ShownPrediction> shown;
    try {
      shown = s->predict(image.id, 1);
    } catch (const Error& e) {
      std::cerr << "cannot show " << image.relativePath << ": " << e.what() << '\n';
    }
    s->label(image.id, item.classIndex);
    ++given;
    if (args.lockstep) {
      while (!s->waitForTraining(10s)) {
      }
    }
    if (args.pace > 0) {
      // The reader's time on the slice: the trainer learns from the labels given meanwhile.
      std::this_thread::sleep_until(start +
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(args.pace * given)));
    }
    std::cout << "labelled " << image.relativePath << ' ' << item.classIndex << ' '
              << classNames[static_cast<std::size_t>(item.classIndex)];
    if (shown) {
      const auto& top = shown->prediction.top.front();
      std::cout << " | shown " << top.index << ' ' << std::fixed << std::setprecision(3)
                << top.probability << std::defaultfloat << " (" << shown->model.describe() << ')';
    }
    if (step->choice)
      std::cout << " | chosen: " << learning::describeChoice(*step->choice, classNames);
    std::cout << std::endl;  // flushed: an acknowledged label is durable
  }

  int notOffered = 0;  // double reading: rows whose slices have their readings without us
  for (const session::ReplayItem& item : items)
    notOffered += s->offered(item.imageId) ? 0 : 1;
  if (args.wait) {
    while (!s->waitForTraining(1s)) {
      const learning::TrainerStatus status = s->trainerStatus();
      std::cerr << "training: " << status.queued + (status.busy ? 1 : 0) << " labels to go\n";
    }
  }
  const learning::TrainerStatus status = s->trainerStatus();
  const std::size_t queued = status.queued + (status.busy ? 1 : 0);
  const std::optional<session::TeamTraining> team = s->teamTraining();
  s->close();

  // Report from the store, as the next session will see it.
  auto project = project::Project::open(args.dir);
  std::cout << "labels given: " << given;
  if (notInProject > 0) std::cout << " (" << notInProject << " rows not in the project)";
  if (notOffered > 0)
    std::cout << "\npassed over: " << notOffered
              << " rows whose slices have their readings without you (double reading)";
  std::cout << "\ntrained: " << status.labelsSeen << " labels, " << status.steps
            << " steps, last loss " << status.lastLoss << '\n';
  if (queued > 0) {
    std::cout << "not trained yet: " << queued
              << " labels (stored; trained when the project is next opened)\n";
  }
  if (!status.lastError.empty()) std::cerr << "training problem: " << status.lastError << '\n';
  if (team && !team->consensus) {
    std::cout << "learned from: this reader's labels only (a team project set to --train-on own)\n";
  } else if (team && team->teamRead) {
    std::cout << "learned from: the team's consensus, " << team->slices << " slices ("
              << team->fromOthers << " labelled by other readers only; " << team->disputed
              << " left out while readers disagree)\n";
  } else if (team) {
    std::cout << "learned from: this reader's labels (the team's were not read: the server "
                 "was not reached)\n";
  }
  if (team && team->assignment.readingsPerSlice > 0)
    std::cout << "double reading: " << team->assignment.readingsPerSlice << " readings per slice ("
              << (team->assignment.blinded ? "blinded" : "open") << "); " << team->awaitingYou
              << " slices other readers labelled wait for yours, " << team->readWithoutYou
              << " have their readings without you\n";
  std::cout << "model versions written:";
  for (const auto& v : project->modelVersions())
    if (before.count(v.version) == 0) std::cout << " v" << v.version << " (" << v.labelsSeen << ")";
  std::cout << '\n';
  const learning::PrequentialMetrics curve =
      learning::prequentialAccuracy(session::prequentialRecords(*project), classCount);
  std::cout << "prequential (each label against the prediction shown when it was given):\n"
            << learning::toText(curve, classNames);
}

// --- eval -----------------------------------------------------------------------------------

struct EvalArgs {
  std::string dir;
  std::string weights;  ///< a model version file instead of a project
  std::string labels;
  std::string version;
  NetworkArgs net;
  bool json = false;
};

void runEval(const EvalArgs& args) {
  TerminalProgress progress;
  session::Evaluation e;
  std::string modelName;
  if (!args.weights.empty()) {
    session::VersionFile file = session::loadVersionFile(args.weights, args.net.torchDevice());
    e = session::evaluateModel(file.model, args.labels, file.modelSize, args.net.torchDevice(),
                               &progress);
    e.checkpoint = args.weights;
    modelName = file.model.name;
  } else {
    if (args.dir.empty())
      throw Error("name the project (DIR or --project DIR) or a model version file (--weights)");
    auto project = project::Project::open(args.dir);
    session::EvaluationOptions options;
    options.version = parseVersion(args.version);
    options.labelsCsv = args.labels;
    options.config = args.net.config();
    options.device = args.net.torchDevice();
    e = session::evaluateVersion(*project, options, &progress);
    modelName = learning::versionName(e.version);
  }
  printLeftOut(e.problems);
  if (args.json) {
    nlohmann::json out = {{"version", e.version},
                          {"checkpoint", e.checkpoint.filename().string()},
                          {"labels_seen", e.labelsSeen},
                          {"left_out", e.problems.size()},
                          {"metrics", learning::toJson(e.metrics, e.classNames)}};
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << "model " << modelName << " (" << e.labelsSeen << " labels) on " << e.metrics.samples
            << " held-out images";
  if (!e.problems.empty()) std::cout << " (" << e.problems.size() << " left out)";
  std::cout << '\n' << learning::toText(e.metrics, e.classNames);
}

// --- localise -------------------------------------------------------------------------------

struct LocaliseArgs {
  std::string dir;
  std::string weights;  ///< a model version file instead of a project
  std::string labels;
  std::string masks;
  std::string version;
  std::string methods = "gradcam";
  std::string layer{model::resNetLayerName(explain::kDefaultCamLayer)};
  int tolerance = 0;
  std::string csv;  ///< each image's peak and distance
  NetworkArgs net;
  bool json = false;
};

void runLocalise(const LocaliseArgs& args) {
  session::LocalisationOptions options;
  options.version = parseVersion(args.version);
  options.labelsCsv = args.labels;
  options.masksDir = args.masks;
  options.methods = explain::parseCamMethods(args.methods);
  const auto layer = model::parseResNetLayer(args.layer);
  if (!layer)
    throw Error("unknown layer '" + args.layer + "': use layer1, layer2, layer3 or layer4");
  options.layer = *layer;
  options.tolerance = args.tolerance;
  options.config = args.net.config();
  options.device = args.net.torchDevice();
  TerminalProgress progress;
  session::LocalisationReport r;
  std::string modelName;
  if (!args.weights.empty()) {
    session::VersionFile file = session::loadVersionFile(args.weights, options.device);
    r = session::localiseModel(file.model, options, file.modelSize, &progress);
    modelName = file.model.name;
  } else {
    if (args.dir.empty())
      throw Error("name the project (DIR or --project DIR) or a model version file (--weights)");
    auto project = project::Project::open(args.dir);
    r = session::localiseVersion(*project, options, &progress);
    modelName = learning::versionName(r.version);
  }
  printLeftOut(r.problems);
  if (!args.csv.empty()) writeFileAtomically(args.csv, session::localisationCsv(r));
  if (args.json) {
    nlohmann::json scores = nlohmann::json::array();
    for (const auto& s : r.scores)
      scores.push_back({{"method", explain::camMethodName(s.method)},
                        {"images", s.images},
                        {"hits", s.hits},
                        {"pointing_game", s.pointingGame},
                        {"pointing_game_chance", s.reachArea},
                        {"energy_inside", s.energyInside},
                        {"mask_area", s.maskArea}});
    std::cout << nlohmann::json{{"version", r.version},
                                {"labels_seen", r.labelsSeen},
                                {"layer", args.layer},
                                {"tolerance", args.tolerance},
                                {"scores", scores}}
                     .dump(2)
              << '\n';
    return;
  }
  std::cout
      << "model " << modelName << " (" << r.labelsSeen << " labels), heatmaps of the true "
      << "class at " << args.layer << '\n'
      << "method        images  pointing game  (chance)  energy in mask  (chance: mask area)\n";
  for (const auto& s : r.scores) {
    std::cout << std::left << std::setw(12) << explain::camMethodName(s.method) << std::right
              << std::setw(8) << s.images << std::fixed << std::setprecision(3) << std::setw(15)
              << s.pointingGame << std::setw(10) << s.reachArea << std::setw(16) << s.energyInside
              << std::setw(21) << s.maskArea << std::defaultfloat << '\n';
  }
  if (args.tolerance > 0) {
    std::cout << "a peak within " << args.tolerance
              << " px of a lesion counts as a hit; the pointing game's chance level is the share "
                 "of the image that close to a lesion\n";
  }
}

// --- figure -------------------------------------------------------------------------------

struct FigureArgs {
  std::string dir;
  std::string weights;  ///< a model version file instead of a project
  std::string images;   ///< comma-separated, relative to the image root
  std::string method = "gradcam";
  std::string layer{model::resNetLayerName(explain::kDefaultCamLayer)};
  std::string version;
  NetworkArgs net;
  std::string out;
  std::string csv;
};

/// The comma-separated entries of --images.
std::vector<std::string> splitImages(const std::string& list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

void runFigure(const FigureArgs& args) {
  const auto layer = model::parseResNetLayer(args.layer);
  if (!layer)
    throw Error("unknown layer '" + args.layer + "': use layer1, layer2, layer3 or layer4");
  session::ReportFigureRequest request;
  request.method = explain::parseCamMethod(args.method);
  request.layer = *layer;
  std::optional<session::LoadedVersion> loaded;
  if (!args.weights.empty()) {
    // A version file on its own: the images are files, named in the figure's CSV by their hash.
    session::VersionFile file = session::loadVersionFile(args.weights, args.net.torchDevice());
    request.modelSize = file.modelSize;
    for (const std::string& name : splitImages(args.images)) {
      session::TrustImage image;
      image.file = name;
      if (!fs::is_regular_file(image.file)) throw Error("'" + name + "' is not an image file");
      image.relativePath = image.file.filename().string();
      image.sha256 = sha256File(image.file);
      request.images.push_back(std::move(image));
      std::cout << "row " << request.images.size() << ": " << request.images.back().relativePath
                << '\n';
    }
    loaded.emplace(std::move(file.model));
  } else {
    auto project = project::Project::open(projectDir(args.dir));
    request.modelSize = project->settings().modelSize;
    for (const std::string& relative : splitImages(args.images)) {
      const auto record = project->findImage(relative);
      if (!record) throw Error("'" + relative + "' is not an image of the project");
      session::TrustImage image;
      image.imageId = record->id;
      image.relativePath = relative;
      image.file = project->resolveImage(record->id);
      image.sha256 = record->sha256;
      request.images.push_back(std::move(image));
      std::cout << "row " << request.images.size() << ": " << relative << '\n';
    }
    loaded.emplace(session::loadVersion(*project, parseVersion(args.version), args.net.config(),
                                        args.net.torchDevice()));
  }
  const session::ReportFigure figure = session::composeReportFigure(*loaded, request);
  explain::writeFigure(args.out, figure.figure);
  std::cout << "wrote " << args.out << '\n';
  if (!args.csv.empty()) {
    writeFileAtomically(args.csv, figure.csv);
    std::cout << "wrote " << args.csv << '\n';
  }
}

}  // namespace

void addSessionCommands(CLI::App& app) {
  auto demoArgs = std::make_shared<DemoArgs>();
  CLI::App* demo = app.add_subcommand("demo", std::string(modelCommandDescription("demo")));
  demo->add_option("DIR", demoArgs->dir, "new folder for the project")->required();
  demo->add_option("--per-class", demoArgs->perClass, "slices per pattern, held-out included")
      ->capture_default_str()
      ->check(CLI::Range(2, 10000));
  demo->add_option("--size", demoArgs->size, "pixels per side")
      ->capture_default_str()
      ->check(CLI::Range(64, 4096));
  demo->add_option("--seed", demoArgs->seed, "same seed, same project")->capture_default_str();
  demo->add_option("--model-size", demoArgs->modelSize, "pixels per side of the model's input")
      ->capture_default_str()
      ->check(CLI::Range(32, 1024));
  demo->add_option("--snapshot-every", demoArgs->snapshotEvery, "labels between model versions")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  demo->add_option("--training", demoArgs->trainingMode,
                   "what learns: auto (full on a random trunk, layer4 on ImageNet weights), head, "
                   "layer4 or full")
      ->capture_default_str();
  demo->callback([demoArgs] { runDemo(*demoArgs); });

  auto labelArgs = std::make_shared<LabelArgs>();
  CLI::App* label = app.add_subcommand("label", std::string(modelCommandDescription("label")));
  label->add_option("DIR", labelArgs->dir, "project folder")->required();
  label
      ->add_option("--from", labelArgs->from,
                   "CSV of file,label rows (file relative to the image root, or absolute), or "
                   "any CSV whose header names a file or path column and a label or label_index "
                   "column, such as this project's own `project export --labels x.csv`")
      ->required();
  label->add_flag("--wait", labelArgs->wait, "return when training has caught up");
  label->add_flag("--lockstep", labelArgs->lockstep,
                  "let training catch up after each label, as when a clinician takes longer per "
                  "image than a training step (the predictions shown then come from a model "
                  "trained on every earlier label)");
  label
      ->add_option("--pace", labelArgs->pace,
                   "seconds per label, as a reader takes them: the model keeps learning from the "
                   "labels given so far meanwhile, as it does in the app (default 0: as fast as "
                   "the file is read, and the model learns only at each label)")
      ->check(CLI::NonNegativeNumber);
  label->add_option("--annotator", labelArgs->annotator, "name recorded with each label ($USER)");
  label->add_option("--limit", labelArgs->limit, "give at most N labels")
      ->check(CLI::NonNegativeNumber);
  label
      ->add_option("--order", labelArgs->order,
                   "which slice comes next: file (the CSV's rows, passing over those already "
                   "labelled so), spread (evenly spaced slices of each DICOM series first), "
                   "random, or uncertain (the model's choice: the slice it is least sure of, "
                   "unlike those labelled; the CSV answers with its label)")
      ->check(CLI::IsMember({"file", "spread", "random", "uncertain"}))
      ->capture_default_str();
  addNetworkArgs(label, labelArgs->net);
  label->callback([labelArgs] { runLabel(*labelArgs); });

  auto evalArgs = std::make_shared<EvalArgs>();
  CLI::App* eval = app.add_subcommand("eval", std::string(modelCommandDescription("eval")));
  addModelSource(eval, evalArgs->dir, evalArgs->version, &evalArgs->weights);
  eval->add_option("--labels", evalArgs->labels,
                   "CSV of file,label rows (file relative to the CSV's folder, or absolute)")
      ->required();
  addNetworkArgs(eval, evalArgs->net);
  eval->add_flag("--json", evalArgs->json, "print JSON");
  eval->callback([evalArgs] { runEval(*evalArgs); });

  auto locArgs = std::make_shared<LocaliseArgs>();
  CLI::App* localise =
      app.add_subcommand("localise", std::string(modelCommandDescription("localise")));
  addModelSource(localise, locArgs->dir, locArgs->version, &locArgs->weights);
  localise->add_option("--labels", locArgs->labels, "CSV of file,label rows (as for eval)")
      ->required();
  localise->add_option("--masks", locArgs->masks,
                       "folder of lesion masks named as the images (default: masks/ beside the "
                       "--labels CSV, as `phantom` writes it)");
  localise->add_option("--method", locArgs->methods, "comma-separated CAM methods, or all")
      ->capture_default_str();
  localise->add_option("--layer", locArgs->layer, "layer1..layer4")->capture_default_str();
  localise->add_option("--tolerance", locArgs->tolerance, "pointing-game slack in pixels")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  localise->add_option("--csv", locArgs->csv,
                       "also write each image's result: whether the peak hit (at --tolerance), "
                       "where it lay and how far (px) from the lesion");
  addNetworkArgs(localise, locArgs->net);
  localise->add_flag("--json", locArgs->json, "print JSON");
  localise->callback([locArgs] { runLocalise(*locArgs); });

  auto figArgs = std::make_shared<FigureArgs>();
  CLI::App* figure = app.add_subcommand("figure", std::string(modelCommandDescription("figure")));
  addModelSource(figure, figArgs->dir, figArgs->version, &figArgs->weights);
  figure
      ->add_option("--images", figArgs->images,
                   "comma-separated images, as the project names them (relative paths); with "
                   "--weights, image files")
      ->required();
  figure->add_option("--method", figArgs->method, "CAM method")->capture_default_str();
  figure->add_option("--layer", figArgs->layer, "layer1..layer4")->capture_default_str();
  addNetworkArgs(figure, figArgs->net);
  figure->add_option("--out", figArgs->out, "FILE.pdf or FILE.png")->required();
  figure->add_option("--csv", figArgs->csv, "also write the numbers behind the figure");
  figure->callback([figArgs] { runFigure(*figArgs); });
}

}  // namespace camlabel::cli
