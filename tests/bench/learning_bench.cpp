// SPDX-License-Identifier: Apache-2.0
// The learning curve of issue 13: what a session's labels make of the model. Usage:
//   camlabel_learning_bench session --dir DIR [--train 300] [--heldout 100] [--seed 1]
//       [--heldout-seeds 1001,2002] [--size 256] [--model-size 224] [--network resnet50|tiny]
//       [--pace-ms 3000 | --lockstep] [--points 25,50,100,200,300] [--weights FILE.pth]
//       [--threads 2] [--layers layer3,layer4] [--order file|random|uncertain] [--json FILE]
//       [--dump-inputs] [--average-decay D] [--progressive START,UNTIL,FULL_FROM]
//       [--bfloat16 on|off] [--preempt-before SHARE]
//   camlabel_learning_bench evaluate --dir DIR --state-dict FILE.pth --labels N [same shape
//       options] [--json FILE]
//   camlabel_learning_bench choose --dir DIR [--train 10000] [--labels 300]: times the uncertain
//       order's choice over that many cached slices (synthetic ResNet50-shaped features)
// session: writes phantom sets into DIR (train/ of --seed, heldout_<S>/ of each held-out seed;
// kept and reused when present), creates DIR/project over train/images and replays
// train/labels.csv through the real Session (predict the slice as the window would, then label
// it) at one label every --pace-ms of wall time, or --lockstep (each label trained before the
// next), taking the slices in --order (file: the CSV's; uncertain: the model's choice, the CSV
// answering with the label). DIR/labelled_order.txt keeps the rows in the order labelled. At
// each point the published snapshot is kept; after the replay each is scored.
// evaluate: scores a torchvision state_dict (the offline reference's model) in exactly the same
// way, as if it had been trained on the first N labels of labelled_order.txt.
// Scores: held-out accuracy, Cohen's kappa, macro AUC and expected calibration error per
// held-out seed; accuracy on the labels trained so far; Grad-CAM pointing game (peak inside the
// lesion mask, and within 3% of the side of it) and energy inside the lesion mask at each
// --layers layer on the held-out lesion slices.
// --dump-inputs also writes DIR/train_inputs.f32 (the model inputs of train/labels.csv in order,
// float32 N x 3 x S x S) and DIR/train_labels.i64 for run_learning_bench.py's reference.
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/allocator.h"
#include "core/common/error.h"
#include "core/explain/cam.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/phantom.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/learning/active_learning.h"
#include "core/learning/metrics.h"
#include "core/learning/trainer.h"
#include "core/model/input_tensor.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"
#include "core/session/label_csv.h"
#include "core/session/replay.h"
#include "core/session/session.h"

namespace {

namespace fs = std::filesystem;
namespace learning = camlabel::learning;
namespace model = camlabel::model;
namespace session = camlabel::session;
using camlabel::bench::Clock;
using nlohmann::json;

struct Args {
  std::string command;
  fs::path dir;
  int train = 300;
  int heldout = 100;
  std::uint64_t seed = 1;
  std::vector<std::uint64_t> heldoutSeeds{1001, 2002};
  int size = 256;
  int modelSize = 224;
  std::string network = "resnet50";
  int paceMs = 3000;
  bool lockstep = false;
  std::vector<int> points{25, 50, 100, 200, 300};
  std::optional<fs::path> weights;
  int threads = 2;
  std::vector<model::ResNetLayer> layers{camlabel::explain::kDefaultCamLayer,
                                         model::ResNetLayer::kLayer4};
  std::string order = "file";
  std::optional<double> averageDecay;  ///< the trainer's, when given
  /// The trainer's progressive resizing, when given: "160,100,200" (start side, labels until
  /// which it holds, labels from which the model's side is used).
  std::optional<learning::TrainerOptions::ProgressiveResize> progressive;
  std::optional<bool> bfloat16;         ///< the trainer's precision, when given
  std::optional<double> preemptBefore;  ///< the trainer's preemptIdleStepBefore, when given
  fs::path jsonOut;
  bool dumpInputs = false;
  fs::path stateDict;
  int labels = 0;
};

/// The comma-separated items of text, each converted.
template <typename Convert>
auto splitList(const std::string& text, Convert convert) {
  std::vector<decltype(convert(std::string()))> items;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) items.push_back(convert(part));
  return items;
}

/// The pointing game's slack on the held-out slices: 3% of their side (8 px at 256 px).
int pointingTolerance(const Args& a) {
  return static_cast<int>(std::lround(0.03 * a.size));
}

model::ResNetLayer layerNamed(const std::string& name) {
  const auto layer = model::parseResNetLayer(name);
  if (!layer) throw camlabel::Error("unknown layer " + name);
  return *layer;
}

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 2)
    throw camlabel::Error("usage: camlabel_learning_bench session|evaluate --dir DIR ...");
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string k = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw camlabel::Error(k + " needs a value");
      return argv[++i];
    };
    if (k == "--dir")
      a.dir = value();
    else if (k == "--train")
      a.train = std::stoi(value());
    else if (k == "--heldout")
      a.heldout = std::stoi(value());
    else if (k == "--seed")
      a.seed = std::stoull(value());
    else if (k == "--heldout-seeds")
      a.heldoutSeeds =
          splitList(value(), [](const std::string& s) -> std::uint64_t { return std::stoull(s); });
    else if (k == "--size")
      a.size = std::stoi(value());
    else if (k == "--model-size")
      a.modelSize = std::stoi(value());
    else if (k == "--network")
      a.network = value();
    else if (k == "--pace-ms")
      a.paceMs = std::stoi(value());
    else if (k == "--lockstep")
      a.lockstep = true;
    else if (k == "--points")
      a.points = splitList(value(), [](const std::string& s) { return std::stoi(s); });
    else if (k == "--weights")
      a.weights = fs::path(value());
    else if (k == "--threads")
      a.threads = std::stoi(value());
    else if (k == "--layers")
      a.layers = splitList(value(), layerNamed);
    else if (k == "--json")
      a.jsonOut = value();
    else if (k == "--dump-inputs")
      a.dumpInputs = true;
    else if (k == "--state-dict")
      a.stateDict = value();
    else if (k == "--labels")
      a.labels = std::stoi(value());
    else if (k == "--order")
      a.order = value();
    else if (k == "--average-decay")
      a.averageDecay = std::stod(value());
    else if (k == "--preempt-before")
      a.preemptBefore = std::stod(value());
    else if (k == "--bfloat16") {
      const std::string on = value();
      if (on != "on" && on != "off") throw camlabel::Error("--bfloat16: on or off");
      a.bfloat16 = on == "on";
    } else if (k == "--progressive") {
      const auto parts = splitList(value(), [](const std::string& p) { return std::stoll(p); });
      if (parts.size() != 3) throw camlabel::Error("--progressive takes START,UNTIL,FULL_FROM");
      learning::TrainerOptions::ProgressiveResize r;
      r.enabled = true;
      r.startSize = static_cast<int>(parts[0]);
      r.startSizeUntilLabels = parts[1];
      r.fullSizeFromLabels = parts[2];
      a.progressive = r;
    } else
      throw camlabel::Error("unknown option " + k);
  }
  if (a.dir.empty()) throw camlabel::Error("--dir is required");
  return a;
}

model::ResNetConfig networkConfig(const Args& a) {
  const auto config = model::namedNetwork(a.network);
  if (!config) throw camlabel::Error("unknown network " + a.network);
  model::ResNetConfig c = *config;
  c.numClasses = camlabel::imaging::kPhantomClassCount;
  return c;
}

/// A phantom set in dir, written unless its labels.csv is there already.
void ensureSet(const fs::path& dir, int count, std::uint64_t seed, int size) {
  if (fs::exists(dir / "labels.csv")) return;
  camlabel::imaging::PhantomSetOptions o;
  o.count = count;
  o.seed = seed;
  o.size = size;
  camlabel::imaging::writePhantomSet(dir, o);
}

fs::path heldoutDir(const Args& a, std::uint64_t seed) {
  return a.dir / ("heldout_" + std::to_string(seed));
}

at::Tensor modelInput(const fs::path& file, int modelSize) {
  const camlabel::imaging::CtImage image = camlabel::imaging::readImage(file);
  camlabel::imaging::ModelInputSpec spec;
  spec.size = modelSize;
  return camlabel::model::modelInput(image, spec);
}

/// Probabilities of the model for each file, batch by batch.
std::vector<std::vector<double>> probabilities(model::ResNet& net,
                                               const std::vector<fs::path>& files, int modelSize) {
  torch::NoGradGuard noGrad;
  std::vector<std::vector<double>> out;
  constexpr std::size_t kBatch = 16;
  for (std::size_t begin = 0; begin < files.size(); begin += kBatch) {
    std::vector<at::Tensor> inputs;
    for (std::size_t i = begin; i < std::min(files.size(), begin + kBatch); ++i)
      inputs.push_back(modelInput(files[i], modelSize));
    const at::Tensor p = net.forward(torch::cat(inputs, 0)).to(torch::kDouble).softmax(1);
    for (std::int64_t r = 0; r < p.size(0); ++r) {
      const at::Tensor row = p[r].contiguous();
      out.emplace_back(row.data_ptr<double>(), row.data_ptr<double>() + row.numel());
    }
  }
  return out;
}

json classification(model::ResNet& net, const std::vector<fs::path>& files,
                    const std::vector<int>& truth, int modelSize) {
  const auto probs = probabilities(net, files, modelSize);
  std::vector<int> predicted;
  for (const auto& row : probs)
    predicted.push_back(static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()));
  const learning::ClassificationMetrics m = learning::evaluateClassification(
      truth, predicted, probs, camlabel::imaging::kPhantomClassCount);
  return {{"accuracy", m.accuracy},
          {"kappa", m.kappa ? json(*m.kappa) : json(nullptr)},
          {"macro_auc", m.macroAuc ? json(*m.macroAuc) : json(nullptr)},
          {"ece", m.ece ? json(*m.ece) : json(nullptr)},
          {"mean_confidence", m.meanConfidence ? json(*m.meanConfidence) : json(nullptr)},
          {"samples", m.samples}};
}

struct LabelledSet {
  std::vector<fs::path> files;
  std::vector<int> labels;
};

LabelledSet readSet(const fs::path& dir) {
  LabelledSet set;
  for (const auto& row : session::readLabelCsv(dir / "labels.csv")) {
    set.files.push_back(dir / row.file);
    set.labels.push_back(row.label);
  }
  return set;
}

/// The training set's rows in the order the last session labelled them (labelled_order.txt,
/// written by `session`); the file's order when there is none.
std::vector<std::size_t> labelledOrder(const Args& a, std::size_t count) {
  std::vector<std::size_t> order;
  std::ifstream in(a.dir / "labelled_order.txt");
  for (std::size_t index = 0; in >> index;)
    if (index < count) order.push_back(index);
  if (order.empty())
    for (std::size_t i = 0; i < count; ++i)
      order.push_back(i);
  return order;
}

/// Every figure of one model at one point of the curve.
json score(model::ResNet& net, const Args& a, int labelsSeen) {
  net.eval();
  json point{{"labels", labelsSeen}};
  const LabelledSet train = readSet(a.dir / "train");
  const std::vector<std::size_t> order = labelledOrder(a, train.files.size());
  const auto n = std::min(static_cast<std::size_t>(std::max(labelsSeen, 0)), order.size());
  if (n > 0) {
    std::vector<fs::path> files;
    std::vector<int> labels;
    for (std::size_t k = 0; k < n; ++k) {
      files.push_back(train.files[order[k]]);
      labels.push_back(train.labels[order[k]]);
    }
    point["trained"] = classification(net, files, labels, a.modelSize);
  }
  json heldout = json::object();
  for (const std::uint64_t seed : a.heldoutSeeds) {
    const fs::path dir = heldoutDir(a, seed);
    const LabelledSet set = readSet(dir);
    json entry = classification(net, set.files, set.labels, a.modelSize);
    for (const model::ResNetLayer layer : a.layers) {
      session::LocalisationOptions o;
      o.labelsCsv = dir / "labels.csv";
      o.masksDir = dir / "masks";
      o.layer = layer;
      // Also with the slack of the pointing game's definition: 15 px on images of about 500 px
      // (Zhang et al., 2016), 3% of the side, as docs/explanations.md and the localisation test.
      o.alsoWithin = {pointingTolerance(a)};
      session::LoadedVersion loaded;
      loaded.labelsSeen = labelsSeen;
      for (int c = 0; c < camlabel::imaging::kPhantomClassCount; ++c)
        loaded.classNames.push_back("class " + std::to_string(c));
      loaded.network = std::make_unique<model::ResNet>(std::move(net));
      session::LocalisationReport report;
      try {
        report = session::localiseModel(loaded, o, a.modelSize);
      } catch (...) {
        net = std::move(*loaded.network);
        throw;
      }
      net = std::move(*loaded.network);
      const auto& s = report.scores.front();
      entry["localisation"][std::string(model::resNetLayerName(layer))] = {
          {"pointing_game", s.pointingGame},
          {"energy_inside", s.energyInside},
          {"mask_area", s.maskArea},
          {"images", s.images},
          {"tolerance", s.within.front().tolerance},
          {"pointing_game_within", s.within.front().pointingGame},
          {"chance_within", s.within.front().reachArea}};
    }
    heldout[std::to_string(seed)] = entry;
  }
  point["heldout"] = heldout;
  return point;
}

void writeJson(const fs::path& file, const json& j) {
  if (file.empty()) return;
  std::ofstream out(file);
  out << j.dump(1) << '\n';
  if (!out) throw camlabel::Error("could not write " + file.string());
}

void dumpInputs(const Args& a) {
  const LabelledSet train = readSet(a.dir / "train");
  std::ofstream inputs(a.dir / "train_inputs.f32", std::ios::binary);
  std::ofstream labels(a.dir / "train_labels.i64", std::ios::binary);
  for (std::size_t i = 0; i < train.files.size(); ++i) {
    const at::Tensor x = modelInput(train.files[i], a.modelSize).contiguous();
    inputs.write(reinterpret_cast<const char*>(x.data_ptr<float>()),
                 static_cast<std::streamsize>(x.numel() * sizeof(float)));
    const auto label = static_cast<std::int64_t>(train.labels[i]);
    labels.write(reinterpret_cast<const char*>(&label), sizeof label);
  }
  if (!inputs || !labels) throw camlabel::Error("could not write the model inputs");
}

int runSession(const Args& a) {
  ensureSet(a.dir / "train", a.train, a.seed, a.size);
  for (const std::uint64_t seed : a.heldoutSeeds)
    ensureSet(heldoutDir(a, seed), a.heldout, seed, a.size);
  if (a.dumpInputs) dumpInputs(a);
  const fs::path projectDir = a.dir / "project";
  fs::remove_all(projectDir);
  camlabel::project::ProjectSettings settings;
  settings.imageRoot = fs::absolute(a.dir / "train" / "images");
  settings.modelSize = a.modelSize;
  settings.seed = static_cast<std::int64_t>(a.seed);
  settings.snapshotEvery = 50;
  if (a.weights) settings.baseWeights = fs::absolute(*a.weights);
  {
    auto project = camlabel::project::Project::create(projectDir, settings);
    project->importImages();
  }
  session::SessionOptions options;
  options.annotator = "bench";
  options.config = networkConfig(a);
  options.tuneTrainer = [decay = a.averageDecay, progressive = a.progressive, bfloat16 = a.bfloat16,
                         preempt = a.preemptBefore](learning::TrainerOptions& t) {
    if (decay) t.averageDecay = *decay;
    if (preempt) t.preemptIdleStepBefore = *preempt;
    if (progressive) t.progressive = *progressive;
    if (bfloat16) t.bfloat16 = *bfloat16;
  };
  auto s = session::Session::open(projectDir, options);
  const LabelledSet train = readSet(a.dir / "train");
  const auto order = learning::parseLabellingOrder(a.order);
  if (!order) throw camlabel::Error("unknown order " + a.order);
  std::cout << "training mode " << s->settings().trainingMode << ", "
            << (a.lockstep ? std::string("lockstep")
                           : "a label every " + std::to_string(a.paceMs) + " ms")
            << ", order " << a.order << ", published model: "
            << (a.averageDecay ? "average of the weights, decay " + std::to_string(*a.averageDecay)
                               : std::string("the app's default"))
            << ", progressive resizing "
            << (a.progressive ? std::to_string(a.progressive->startSize) + " px until " +
                                    std::to_string(a.progressive->startSizeUntilLabels) +
                                    " labels, full size from " +
                                    std::to_string(a.progressive->fullSizeFromLabels)
                              : std::string("as the app's default"))
            << '\n';
  // The labels file is the oracle; the order asks the session for each next slice.
  std::vector<session::ReplayItem> items;
  std::map<std::int64_t, std::size_t> rowOf;
  for (std::size_t i = 0; i < train.files.size(); ++i) {
    const auto record = s->findImage(train.files[i].filename().string());
    if (!record) throw camlabel::Error("not in the project: " + train.files[i].string());
    items.push_back({record->id, train.labels[i]});
    rowOf[record->id] = i;
  }
  session::ReplayOrder replay(*s, items, *order);
  std::vector<std::size_t> labelled;

  std::vector<std::pair<int, std::shared_ptr<const learning::Snapshot>>> kept;
  std::vector<double> pointSeconds;
  const auto start = Clock::now();
  const int total = std::min<int>(static_cast<int>(train.files.size()), a.points.back());
  std::size_t nextPoint = 0;
  // Label -> published model inside the paced session: when the published model first counts
  // each label, polled every 5 ms while the replay waits for the next label's time. A label can
  // wait behind a step already under way (idle training), which the training benchmark, giving
  // labels to a trainer with nothing else to do, does not see.
  std::vector<Clock::time_point> given;
  std::vector<double> publishedMs;  // label k's delay, filled in label order
  const auto notePublished = [&] {
    const auto seen = std::min<std::size_t>(
        given.size(),
        static_cast<std::size_t>(std::max<std::int64_t>(s->snapshot()->labelsSeen, 0)));
    while (publishedMs.size() < seen)
      publishedMs.push_back(camlabel::bench::msSince(given[publishedMs.size()]));
  };
  for (int i = 0; i < total; ++i) {
    const auto step = replay.next();
    if (!step) throw camlabel::Error("the replay ran out of slices");
    s->predict(step->item.imageId);  // what the window shows before the key press
    given.push_back(Clock::now());
    s->label(step->item.imageId, step->item.classIndex);
    labelled.push_back(rowOf.at(step->item.imageId));
    if (a.lockstep) {
      s->waitForTraining(std::chrono::hours(1));
      notePublished();
    } else {
      const auto due =
          start + std::chrono::milliseconds(static_cast<std::int64_t>(a.paceMs) * (i + 1));
      for (auto now = Clock::now(); now < due; now = Clock::now()) {
        notePublished();
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(5), due - now));
      }
    }
    if (nextPoint < a.points.size() && i + 1 == a.points[nextPoint]) {
      const auto snap = s->snapshot();
      kept.emplace_back(i + 1, snap);
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      pointSeconds.push_back(seconds);
      const auto status = s->trainerStatus();
      std::cout << "  " << i + 1 << " labels at " << seconds << " s: model " << snap->describe()
                << " (" << snap->labelsSeen << " trained), " << status.steps << " steps ("
                << status.idleSteps << " idle, " << status.abandonedSteps << " abandoned, "
                << (status.bfloat16 ? "bfloat16" : "float32") << ")" << std::endl;
      ++nextPoint;
    }
  }
  for (const auto until = Clock::now() + std::chrono::seconds(60);
       publishedMs.size() < given.size() && Clock::now() < until;) {
    notePublished();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  json delays = json::object();
  if (!publishedMs.empty()) {
    std::vector<double> sorted = publishedMs;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double q) { return camlabel::bench::atRank(sorted, q); };
    delays = {{"median", at(0.5)},  {"p90", at(0.9)},     {"max", sorted.back()},
              {"n", sorted.size()}, {"of", given.size()}, {"each", publishedMs}};
    std::cout << "label -> published model in the session: median " << at(0.5) << " ms, p90 "
              << at(0.9) << " ms, max " << sorted.back() << " ms (" << sorted.size() << " of "
              << given.size() << " labels published)" << std::endl;
  }
  const auto prequential = s->prequential();
  const auto status = s->trainerStatus();
  if (!status.lastError.empty())
    std::cout << "the trainer's last problem: " << status.lastError << std::endl;
  s.reset();  // stops the trainer; the snapshots stay in memory
  {
    std::ofstream out(a.dir / "labelled_order.txt");
    for (const std::size_t index : labelled)
      out << index << '\n';
    if (!out) throw camlabel::Error("could not write labelled_order.txt");
  }

  json result{{"machine", camlabel::bench::cpuModel() + ", " +
                              std::to_string(std::thread::hardware_concurrency()) + " cores"},
              {"network", a.network},
              {"model_size", a.modelSize},
              {"pace_ms", a.lockstep ? 0 : a.paceMs},
              {"lockstep", a.lockstep},
              {"order", a.order},
              {"labelled_order", labelled},
              {"steps", status.steps},
              {"idle_steps", status.idleSteps},
              {"abandoned_steps", status.abandonedSteps},
              {"preempt_before",
               a.preemptBefore.value_or(learning::TrainerOptions{}.preemptIdleStepBefore)},
              {"bfloat16", status.bfloat16},
              {"label_to_published_ms", delays},
              {"prequential_window_accuracy",
               prequential.windowAccuracy ? json(*prequential.windowAccuracy) : json(nullptr)},
              {"points", json::array()}};
  model::ResNet net(networkConfig(a));
  for (std::size_t k = 0; k < kept.size(); ++k) {
    learning::applySnapshot(*kept[k].second, net);
    json point = score(net, a, kept[k].first);
    point["seconds"] = pointSeconds[k];
    point["trained_labels"] = kept[k].second->labelsSeen;
    std::cout << point.dump() << std::endl;
    result["points"].push_back(point);
  }
  writeJson(a.jsonOut, result);
  return 0;
}

int runEvaluate(const Args& a) {
  if (a.stateDict.empty()) throw camlabel::Error("--state-dict is required");
  model::ResNet net(networkConfig(a));
  model::loadTorchvisionWeights(net, a.stateDict, model::HeadWeights::kLoad);
  json point = score(net, a, a.labels);
  std::cout << point.dump() << std::endl;
  writeJson(a.jsonOut, point);
  return 0;
}

/// The uncertain order's choice over cached features at the size of a large project: the head on
/// every slice's pooled features (as Session::suggestNext does it), the copies and normalisation,
/// and learning::chooseInformative. Synthetic features of ResNet50's shape; --train slices
/// (default 10,000 here), --labels labelled ones (default 300).
int runChoose(const Args& a) {
  const std::int64_t n = a.train == 300 ? 10000 : a.train;
  const std::int64_t labelledCount = a.labels > 0 ? a.labels : 300;
  constexpr std::int64_t kDims = 2048;
  constexpr std::int64_t kClasses = camlabel::imaging::kPhantomClassCount;
  torch::manual_seed(1);
  const at::Tensor pooled = torch::rand({n, kDims});
  const at::Tensor labelledPooled = torch::rand({labelledCount, kDims});
  const at::Tensor weight = torch::randn({kClasses, kDims}) * 0.05;
  const at::Tensor bias = torch::zeros({kClasses});
  const auto rows = [](const at::Tensor& t) {
    const at::Tensor c = t.contiguous();
    std::vector<std::vector<float>> out;
    for (std::int64_t r = 0; r < c.size(0); ++r)
      out.emplace_back(c[r].data_ptr<float>(), c[r].data_ptr<float>() + c.size(1));
    return out;
  };
  const std::vector<std::vector<float>> cached = rows(pooled);
  const std::vector<std::vector<float>> labelledCached = rows(labelledPooled);
  std::vector<double> head, copy, choice;
  for (int run = 0; run < 7; ++run) {
    auto start = Clock::now();
    std::vector<float> stacked;
    stacked.reserve(static_cast<std::size_t>(n * kDims));
    for (const auto& v : cached)
      stacked.insert(stacked.end(), v.begin(), v.end());
    const at::Tensor p =
        torch::addmm(bias, torch::from_blob(stacked.data(), {n, kDims}), weight.t()).softmax(1);
    head.push_back(camlabel::bench::msSince(start));
    start = Clock::now();
    std::vector<learning::ScoredImage> candidates(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      auto& c = candidates[static_cast<std::size_t>(i)];
      c.imageId = i;
      c.probabilities.assign(p[i].data_ptr<float>(), p[i].data_ptr<float>() + kClasses);
      c.embedding = learning::normalised(cached[static_cast<std::size_t>(i)]);
    }
    std::vector<std::vector<float>> labelled;
    for (const auto& e : labelledCached)
      labelled.push_back(learning::normalised(e));
    copy.push_back(camlabel::bench::msSince(start));
    start = Clock::now();
    const learning::InformativeChoice c = learning::chooseInformative(candidates, labelled, true);
    choice.push_back(camlabel::bench::msSince(start));
    if (c.imageId < 0) return 1;
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double total = median(head) + median(copy) + median(choice);
  // The reference: scoring each slice by a prediction instead, a ResNet50 forward pass at 224 px
  // in the batches of 4 that Session::refreshFeatures uses.
  model::ResNet net(networkConfig(a));
  net.eval();
  std::vector<double> forward;
  {
    torch::NoGradGuard noGrad;
    const at::Tensor batch = torch::rand({4, 3, a.modelSize, a.modelSize});
    net.forward(batch);  // warm-up
    for (int run = 0; run < 5; ++run) {
      const auto start = Clock::now();
      net.forward(batch);
      forward.push_back(camlabel::bench::msSince(start) / 4);
    }
  }
  const double perSlice = 1000.0 * total / static_cast<double>(n);
  std::cout << "machine: " << camlabel::bench::cpuModel() << ", "
            << std::thread::hardware_concurrency() << " cores\n"
            << "uncertain order over " << n << " cached slices, " << labelledCount << " labelled, "
            << kDims << " features, median of 7: head " << median(head)
            << " ms, copies and normalisation " << median(copy) << " ms, choice " << median(choice)
            << " ms; " << total << " ms in all, " << perSlice << " us per slice\n"
            << "reference: a " << a.network << " forward pass at " << a.modelSize << " px, "
            << median(forward) << " ms per slice (median of 5 batches of 4): the cached choice is "
            << 1000.0 * median(forward) / perSlice << "x faster per slice\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  camlabel::keepFreedMemoryForReuse();  // before any thread starts
  try {
    const Args a = parse(argc, argv);
    at::set_num_threads(a.threads);
    fs::create_directories(a.dir);
    if (a.command == "session") return runSession(a);
    if (a.command == "evaluate") return runEvaluate(a);
    if (a.command == "choose") return runChoose(a);
    throw camlabel::Error("unknown command " + a.command + ": use session, evaluate or choose");
  } catch (const std::exception& e) {
    std::cerr << "camlabel_learning_bench: " << e.what() << '\n';
    return 1;
  }
}
