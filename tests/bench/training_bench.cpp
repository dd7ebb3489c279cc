// SPDX-License-Identifier: Apache-2.0
// The training figures of issue 5 on the CPU. Usage:
//   camlabel_training_bench [--threads 2] [--part latency,throughput,cam,memory] [--mode MODE]
//                           [--labels N] [--runs R] [--memory-images N] [--memory-labels N]
//                           [--cam-runs R] [--quick] [--dir DIR] [--json FILE] [--keep] [--tiny]
//                           [--channels-last on|off] (the trainer's layout; default: its own)
// Data go to a new folder under the system temp dir, removed at the end unless --keep; a --dir
// given is kept.
// MODE is head, layer4, full or all (default). Parts (default: all four):
//   latency     label -> next published snapshot through a learning::Trainer with the project
//               defaults, per mode: new images (cold feature cache for the new image) and
//               relabels of images already seen (warm cache).
//   throughput  one optimizer step as the trainer takes it (batchSize images in micro-batches,
//               frozen trunk without autograd, Adam), on fixed tensors: trunk recomputed and
//               trunk cached. run_training_bench.py times the same step in python3-torch.
//   cam         Grad-CAM (layer4) of the inference model, idle and while the trainer runs a
//               stream of labels, with the PriorityGate hold (as Session::predict) and without.
//   memory      peak RSS of a session over a project of --memory-images small phantom PNGs
//               (generation and import not timed), labelling --memory-labels through the session.
// Prints the machine and one line per figure; --json FILE also writes them for the script.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "bench_support.h"
#include "core/common/allocator.h"
#include "core/common/error.h"
#include "core/explain/cam.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/phantom.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/learning/trainer.h"
#include "core/model/input_tensor.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/session.h"

namespace {

namespace fs = std::filesystem;
namespace learning = camlabel::learning;
namespace model = camlabel::model;
using camlabel::bench::Clock;
using camlabel::bench::cpuModel;
using camlabel::bench::msSince;
using camlabel::bench::statusMb;
using nlohmann::json;

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// The ids of this process's threads.
std::set<int> threadIds() {
  std::set<int> ids;
  for (const auto& entry : fs::directory_iterator("/proc/self/task"))
    ids.insert(std::stoi(entry.path().filename().string()));
  return ids;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  std::string text = one;
  text.append(" ").append(five).append(" ").append(fifteen);
  return text;
}

json stats(std::vector<double> ms) {
  if (ms.empty()) return json::object();
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return camlabel::bench::atRank(ms, q); };
  return {{"median_ms", at(0.5)},
          {"p95_ms", at(0.95)},
          {"min_ms", ms.front()},
          {"max_ms", ms.back()},
          {"n", ms.size()}};
}

void printStats(const std::string& what, const json& s) {
  if (s.empty()) return;
  std::printf("%-46s median %8.1f ms  p95 %8.1f  min %8.1f  n %d\n", what.c_str(),
              s["median_ms"].get<double>(), s["p95_ms"].get<double>(), s["min_ms"].get<double>(),
              s["n"].get<int>());
  std::fflush(stdout);
}

struct Options {
  int threads = 2;
  std::vector<std::string> parts{"latency", "throughput", "cam", "memory"};
  std::vector<learning::TrainingMode> modes{learning::TrainingMode::kHead,
                                            learning::TrainingMode::kLayer4,
                                            learning::TrainingMode::kFull};
  int labels = 16;  ///< timed labels per mode and phase (full mode: a third)
  int runs = 5;     ///< timed optimizer steps per throughput variant
  bool channelsLast = learning::TrainerOptions{}.channelsLast;  ///< the trainer's layout
  std::optional<bool> bfloat16;  ///< the trainer's precision; std::nullopt: its default
  int camRuns = 15;
  int memoryImages = 10000;
  int memoryLabels = 300;
  fs::path dir;
  fs::path jsonFile;
  bool keep = false;
  bool tiny = false;  ///< a tiny ResNet: checks the benchmark itself, its figures mean nothing
};

model::ResNetConfig networkConfig(const Options& o) {
  return o.tiny ? model::ResNetConfig{{1, 1, 1, 1}, 8, 10} : model::ResNetConfig::resnet50(10);
}

std::vector<std::string> splitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw camlabel::Error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--threads") {
      o.threads = std::stoi(value());
    } else if (arg == "--part") {
      o.parts = splitCommas(value());
    } else if (arg == "--channels-last") {
      const std::string on = value();
      if (on != "on" && on != "off") throw camlabel::Error("--channels-last: on or off");
      o.channelsLast = on == "on";
    } else if (arg == "--bfloat16") {
      const std::string on = value();
      if (on != "on" && on != "off") throw camlabel::Error("--bfloat16: on or off");
      o.bfloat16 = on == "on";
    } else if (arg == "--mode") {
      const std::string mode = value();
      if (mode != "all") {
        const auto parsed = learning::parseTrainingMode(mode);
        if (!parsed) throw camlabel::Error("--mode: head, layer4, full or all, not " + mode);
        o.modes = {*parsed};
      }
    } else if (arg == "--labels") {
      o.labels = std::stoi(value());
    } else if (arg == "--runs") {
      o.runs = std::stoi(value());
    } else if (arg == "--cam-runs") {
      o.camRuns = std::stoi(value());
    } else if (arg == "--memory-images") {
      o.memoryImages = std::stoi(value());
    } else if (arg == "--memory-labels") {
      o.memoryLabels = std::stoi(value());
    } else if (arg == "--quick") {
      o.labels = 6;
      o.runs = 3;
      o.camRuns = 8;
      o.memoryImages = 2000;
      o.memoryLabels = 40;
    } else if (arg == "--dir") {
      o.dir = value();
    } else if (arg == "--json") {
      o.jsonFile = value();
    } else if (arg == "--tiny") {
      o.tiny = true;
    } else if (arg == "--keep") {
      o.keep = true;
    } else {
      throw camlabel::Error("unknown option " + arg +
                            "; see the comment at the top of training_bench.cpp");
    }
  }
  if (o.labels < 2 || o.runs < 1 || o.camRuns < 2 || o.memoryLabels < 1 || o.memoryImages < 10)
    throw camlabel::Error("--labels >= 2, --runs >= 1, --cam-runs >= 2, --memory-* >= 1");
  return o;
}

bool wants(const Options& o, const std::string& part) {
  return std::find(o.parts.begin(), o.parts.end(), part) != o.parts.end();
}

std::vector<std::string> patternNames() {
  std::vector<std::string> names;
  for (int c = 0; c < camlabel::imaging::kPhantomClassCount; ++c)
    names.push_back("class" + std::to_string(c));
  return names;
}

/// The trainer as a session builds it for a new project: TrainerOptions defaults, the pattern
/// scheme, seeded random weights (no weights file here; the compute is the same).
learning::TrainerOptions trainerOptions(const Options& o, learning::TrainingMode mode,
                                        const fs::path& modelsDir) {
  learning::TrainerOptions t;
  t.config = networkConfig(o);
  t.classNames = patternNames();
  t.seed = 1;
  t.mode = mode;
  t.modelsDir = modelsDir;
  t.channelsLast = o.channelsLast;
  t.bfloat16 = o.bfloat16;
  return t;
}

/// Records when each snapshot is published (on the trainer's thread).
class PublishClock : public learning::TrainerObserver {
 public:
  void snapshotPublished(const std::shared_ptr<const learning::Snapshot>& s) override {
    {
      const std::lock_guard lock(mutex_);
      serial_ = s->serial;
      when_ = Clock::now();
    }
    changed_.notify_all();
  }
  void trainerProblem(const std::string& message) override {
    std::fprintf(stderr, "trainer: %s\n", message.c_str());
  }
  std::uint64_t serial() {
    const std::lock_guard lock(mutex_);
    return serial_;
  }
  /// Waits for a snapshot after `serial`; returns when it was published.
  Clock::time_point waitAfter(std::uint64_t serial) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return serial_ > serial; });
    return when_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t serial_ = 0;
  Clock::time_point when_{};
};

std::vector<learning::TrainingExample> examplesOf(
    const fs::path& setDir, const std::vector<camlabel::imaging::PhantomSetEntry>& entries) {
  std::vector<learning::TrainingExample> out;
  std::int64_t id = 0;
  for (const auto& entry : entries) {
    ++id;
    out.push_back({id, id, setDir / entry.file, entry.label});
  }
  return out;
}

// --- 1. label -> snapshot ---------------------------------------------------------------------

json latencyPart(const Options& o, const fs::path& dir) {
  json out;
  const int warmup = 3;
  const int maxLabels = o.labels;
  camlabel::imaging::PhantomSetOptions set;
  set.count = warmup + maxLabels;
  set.size = 256;
  set.seed = 11;
  const fs::path setDir = dir / "phantom256";
  const auto examples = examplesOf(setDir, camlabel::imaging::writePhantomSet(setDir, set));
  for (const learning::TrainingMode mode : o.modes) {
    const std::string name(learning::trainingModeName(mode));
    const int labels = mode == learning::TrainingMode::kFull ? std::max(2, o.labels / 3) : o.labels;
    PublishClock clock;
    learning::Trainer trainer(trainerOptions(o, mode, dir / ("models_" + name)), &clock);
    const auto& t = trainer.options();
    trainer.start();
    std::int64_t nextLabelId = 1000;
    auto labelOnce = [&](learning::TrainingExample e) {
      trainer.waitUntilIdle(std::chrono::hours(1));
      e.labelId = ++nextLabelId;
      const std::uint64_t before = clock.serial();
      const auto start = Clock::now();
      trainer.submit(e);
      const auto published = clock.waitAfter(before);
      return std::chrono::duration<double, std::milli>(published - start).count();
    };
    for (int i = 0; i < warmup; ++i)
      labelOnce(examples[static_cast<std::size_t>(i)]);
    std::vector<double> cold, warm;
    const auto phaseStart = Clock::now();
    for (int i = 0; i < labels; ++i)
      cold.push_back(labelOnce(examples[static_cast<std::size_t>(warmup + i)]));
    // Relabels (same class) of images seen before: their views have been drawn as replays, so
    // the frozen trunk's features are mostly cached.
    for (int i = 0; i < labels; ++i)
      warm.push_back(labelOnce(examples[static_cast<std::size_t>(warmup + i % labels)]));
    trainer.waitUntilIdle(std::chrono::hours(1));
    const double phaseMs = msSince(phaseStart);
    trainer.stop();
    const int imagesPerLabel = t.stepsPerLabel * t.batchSize;
    json m{{"steps_per_label", t.stepsPerLabel},
           {"batch_size", t.batchSize},
           {"micro_batch", t.microBatch},
           {"new_image", stats(cold)},
           {"seen_image", stats(warm)},
           {"trainer_images_per_s", imagesPerLabel * 2.0 * labels / (phaseMs / 1000.0)}};
    printStats("label->snapshot " + name + ", new image", m["new_image"]);
    printStats("label->snapshot " + name + ", seen image", m["seen_image"]);
    std::printf("trainer throughput %s: %.1f images/s (%d per label)\n", name.c_str(),
                m["trainer_images_per_s"].get<double>(), imagesPerLabel);
    out[name] = m;
  }
  return out;
}

// --- 2. the optimizer step on fixed tensors ---------------------------------------------------

/// One trainer step, as trainer.cpp's Impl::step does it, on inputs already preprocessed.
json throughputPart(const Options& o) {
  json out;
  const learning::TrainerOptions defaults;
  const int batch = defaults.batchSize;
  const int micro = defaults.microBatch;
  torch::manual_seed(3);
  std::vector<at::Tensor> images;
  for (int i = 0; i < batch; ++i)
    images.push_back(torch::randn({1, 3, 224, 224}));
  const at::Tensor targets = torch::arange(batch, torch::kLong) % 10;
  for (const learning::TrainingMode mode : o.modes) {
    const std::string name(learning::trainingModeName(mode));
    model::ResNet net(networkConfig(o));
    model::initializeRandom(net, 1);
    net.eval();
    std::optional<model::ResNetLayer> frozenUpTo;
    if (mode == learning::TrainingMode::kHead) frozenUpTo = model::ResNetLayer::kLayer4;
    if (mode == learning::TrainingMode::kLayer4) frozenUpTo = model::ResNetLayer::kLayer3;
    std::vector<at::Tensor> trainable;
    for (auto& item : net.module().named_parameters(true)) {
      const std::string& key = item.key();
      const bool on = key.rfind("fc.", 0) == 0 || mode == learning::TrainingMode::kFull ||
                      (mode == learning::TrainingMode::kLayer4 && key.rfind("layer4.", 0) == 0);
      item.value().set_requires_grad(on);
      if (on) trainable.push_back(item.value());
    }
    // Random trunk: the trainable layers' BatchNorm updates its statistics (the trainer's
    // default without a weights file).
    for (auto& child : net.module().named_children()) {
      if (mode == learning::TrainingMode::kFull ||
          (mode == learning::TrainingMode::kLayer4 && child.key() == "layer4"))
        child.value()->train(true);
    }
    torch::optim::Adam adam(trainable, torch::optim::AdamOptions(3e-3));
    std::vector<at::Tensor> cachedFeatures;
    if (frozenUpTo) {
      torch::NoGradGuard noGrad;
      for (const auto& x : images)
        cachedFeatures.push_back(net.features(x, *frozenUpTo));
    }
    auto step = [&](bool cached) {
      adam.zero_grad();
      for (int begin = 0; begin < batch; begin += micro) {
        std::vector<at::Tensor> inputs;
        for (int i = begin; i < std::min(batch, begin + micro); ++i) {
          const auto k = static_cast<std::size_t>(i);
          if (!frozenUpTo) {
            inputs.push_back(images[k]);
          } else if (cached) {
            inputs.push_back(cachedFeatures[k]);
          } else {
            torch::NoGradGuard noGrad;
            inputs.push_back(net.features(images[k], *frozenUpTo));
          }
        }
        const at::Tensor x = torch::cat(inputs, 0);
        const at::Tensor y = targets.slice(0, begin, std::min(batch, begin + micro));
        const at::Tensor logits = frozenUpTo ? net.head(x, *frozenUpTo) : net.forward(x);
        const at::Tensor loss =
            torch::nn::functional::cross_entropy(
                logits, y,
                torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
            static_cast<double>(batch);
        loss.backward();
        (void)loss.item<double>();
      }
      adam.step();
    };
    json m{{"batch_size", batch}, {"micro_batch", micro}};
    for (const bool cached : {false, true}) {
      if (cached && !frozenUpTo) continue;
      for (int i = 0; i < 2; ++i)
        step(cached);
      std::vector<double> ms, cpu;
      for (int i = 0; i < o.runs; ++i) {
        const double cpuStart = cpuSeconds();
        const auto start = Clock::now();
        step(cached);
        ms.push_back(msSince(start));
        cpu.push_back((cpuSeconds() - cpuStart) * 1000.0);
      }
      json s = stats(ms);
      s["images_per_s"] = batch / (s["median_ms"].get<double>() / 1000.0);
      // CPU time of the process per step: less sensitive than wall time to other processes on
      // a shared machine (they take turns on the cores, but each side pays only for its work).
      std::sort(cpu.begin(), cpu.end());
      s["cpu_ms"] = cpu[cpu.size() / 2];
      s["images_per_cpu_s"] = batch / (cpu[cpu.size() / 2] / 1000.0);
      const std::string variant = cached ? "cached" : "uncached";
      printStats("step " + name + " " + variant + " (" + std::to_string(batch) + " images)", s);
      m[variant] = s;
    }
    out[name] = m;
  }
  return out;
}

// --- 3. explanation while training ------------------------------------------------------------

json camPart(const Options& o, const fs::path& dir) {
  camlabel::imaging::PhantomSetOptions set;
  set.count = 40;
  set.size = 256;
  set.seed = 12;
  const fs::path setDir = dir / "phantom_cam";
  const auto examples = examplesOf(setDir, camlabel::imaging::writePhantomSet(setDir, set));

  PublishClock clock;
  learning::Trainer trainer(trainerOptions(o, learning::TrainingMode::kLayer4, dir / "models_cam"),
                            &clock);
  model::ResNet inference(networkConfig(o));
  inference.eval();
  std::shared_ptr<const learning::Snapshot> applied;
  const camlabel::imaging::CtImage image = camlabel::imaging::readImage(examples.back().file);
  std::uint64_t refreshes = 0;

  // What the inference worker does for the image on screen: wait for priority, swap in the newest
  // weights if they changed, preprocess, Grad-CAM at layer4.
  auto explain = [&](bool gated) {
    const auto start = Clock::now();
    std::optional<learning::PriorityGate::Hold> hold;
    if (gated) hold.emplace(trainer.gate());
    auto latest = trainer.latest();
    if (!applied || applied->serial != latest->serial) {
      learning::applySnapshot(*latest, inference);
      applied = std::move(latest);
      ++refreshes;
    }
    const at::Tensor input = model::toInputTensor(
        camlabel::imaging::preprocessForModel(image, camlabel::imaging::defaultWindow(image.info)));
    camlabel::explain::computeCam(inference, input, {});
    return msSince(start);
  };

  // The inference side's threads (this one and its OpenMP team) exist before the trainer starts:
  // the threads that appear after are the trainer's (libgomp gives each thread its own team).
  explain(false);
  const std::set<int> ownThreads = threadIds();
  trainer.start();
  std::int64_t labelId = 0;
  // A few labels first, so that the trainer has warmed up its kernels and the replay pool.
  for (int i = 0; i < 4; ++i) {
    auto e = examples[static_cast<std::size_t>(i)];
    e.labelId = ++labelId;
    trainer.submit(e);
  }
  trainer.waitUntilIdle(std::chrono::hours(1));
  for (int i = 0; i < 3; ++i)
    explain(true);
  std::vector<double> idle;
  for (int i = 0; i < o.camRuns; ++i)
    idle.push_back(explain(true));

  // Training runs continuously: a feeder keeps labels queued.
  std::atomic<bool> feeding{true};
  std::thread feeder([&] {
    std::size_t next = 4;
    while (feeding) {
      if (trainer.status().queued < 2) {
        auto e = examples[next % (examples.size() - 1)];
        e.labelId = ++labelId;
        trainer.submit(e);
        ++next;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  // Requests arrive at random moments of the trainer's work, as a clinician's would.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pause(20, 250);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<double> gated, ungated;
  const std::int64_t stepsBefore = trainer.status().steps;
  for (int i = 0; i < o.camRuns; ++i) {
    for (const bool g : {true, false}) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
      (g ? gated : ungated).push_back(explain(g));
    }
  }
  std::int64_t stepsDuring = trainer.status().steps - stepsBefore;
  // For information, the fix proposed in the docs: the trainer's threads at the lowest CPU
  // priority (nice 19), so that the scheduler runs inference first while both are busy.
  std::vector<double> niced;
  int renicedThreads = 0;
  for (const int tid : threadIds()) {
    if (ownThreads.count(tid) == 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19) == 0)
      ++renicedThreads;
  }
  const std::int64_t stepsBeforeNiced = trainer.status().steps;
  for (int i = 0; i < o.camRuns; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
    niced.push_back(explain(true));
  }
  const std::int64_t stepsNiced = trainer.status().steps - stepsBeforeNiced;
  feeding = false;
  feeder.join();
  trainer.stop();

  json out{{"idle", stats(idle)},
           {"training_gated", stats(gated)},
           {"training_ungated", stats(ungated)},
           {"training_gated_trainer_nice19", stats(niced)},
           {"reniced_threads", renicedThreads},
           {"trainer_steps_during_niced", stepsNiced},
           {"trainer_steps_during", stepsDuring},
           {"weight_refreshes", refreshes}};
  printStats("gradcam layer4 idle", out["idle"]);
  printStats("gradcam layer4 while training, gate held", out["training_gated"]);
  printStats("gradcam layer4 while training, no gate", out["training_ungated"]);
  printStats("gradcam layer4 while training, gate, trainer nice 19",
             out["training_gated_trainer_nice19"]);
  std::printf("(%d trainer threads reniced; %lld trainer steps ran meanwhile)\n", renicedThreads,
              static_cast<long long>(stepsNiced));
  const double ratio =
      out["training_gated"]["median_ms"].get<double>() / out["idle"]["median_ms"].get<double>();
  const double ratioP95 =
      out["training_gated"]["p95_ms"].get<double>() / out["idle"]["median_ms"].get<double>();
  out["ratio_median"] = ratio;
  out["ratio_p95"] = ratioP95;
  std::printf("gated / idle: %.2fx median, %.2fx p95 (target <= 1.5x); %lld trainer steps ran\n",
              ratio, ratioP95, static_cast<long long>(stepsDuring));
  return out;
}

// --- 4. memory of a large project -------------------------------------------------------------

json memoryPart(const Options& o, const fs::path& dir) {
  const fs::path setDir = dir / "mem_set";
  const fs::path projectDir = dir / "mem_project";
  auto start = Clock::now();
  camlabel::imaging::PhantomSetOptions set;
  set.count = o.memoryImages;
  set.size = 128;
  set.seed = 13;
  const auto entries = camlabel::imaging::writePhantomSet(setDir, set);
  std::printf("memory: %d phantom PNGs of 128 px generated in %.0f s (not timed)\n", o.memoryImages,
              msSince(start) / 1000);
  {
    camlabel::project::ProjectSettings settings;
    settings.imageRoot = setDir / "images";
    settings.trainingMode = "layer4";
    auto project = camlabel::project::Project::create(projectDir, settings);
    const auto report = project->importImages();
    if (report.added != o.memoryImages)
      throw camlabel::Error("import added " + std::to_string(report.added) + " images");
  }
  const double afterImportMb = statusMb("VmHWM:");

  start = Clock::now();
  camlabel::session::SessionOptions sessionOptions;
  sessionOptions.annotator = "bench";
  sessionOptions.config = networkConfig(o);
  auto session = camlabel::session::Session::open(projectDir, sessionOptions);
  const double openMs = msSince(start);
  const double afterOpenMb = statusMb("VmRSS:");
  const int labels = std::min(o.memoryLabels, o.memoryImages);
  std::vector<double> predictMs;
  double maxRssMb = 0;
  start = Clock::now();
  for (int i = 0; i < labels; ++i) {
    const auto& entry = entries[static_cast<std::size_t>(i)];
    const auto record = session->findImage(entry.file.substr(std::string("images/").size()));
    if (!record) throw camlabel::Error("not in the project: " + entry.file);
    const auto t0 = Clock::now();
    session->predict(record->id);
    predictMs.push_back(msSince(t0));
    session->label(record->id, entry.label);
    maxRssMb = std::max(maxRssMb, statusMb("VmRSS:"));
    // A clinician takes a moment per image; the trainer lags behind and catches up at the end.
    if (i % 10 == 9) {
      std::printf("  %d labels, queue %zu, RSS %.0f MB\n", i + 1, session->trainerStatus().queued,
                  statusMb("VmRSS:"));
      std::fflush(stdout);
    }
  }
  // How fast the trainer goes as the session grows (the feature cache holds fewer of the
  // replayed views): labels trained per interval.
  json progress = json::array();
  while (!session->waitForTraining(std::chrono::seconds(30))) {
    maxRssMb = std::max(maxRssMb, statusMb("VmRSS:"));
    const auto now = session->trainerStatus();
    progress.push_back({{"s", msSince(start) / 1000}, {"labels_trained", now.labelsSeen}});
    std::printf("  %.0f s: %lld labels trained, RSS %.0f MB\n", msSince(start) / 1000,
                static_cast<long long>(now.labelsSeen), statusMb("VmRSS:"));
    std::fflush(stdout);
  }
  const double trainMs = msSince(start);
  const auto status = session->trainerStatus();
  session->close();
  session.reset();
  const double peakMb = statusMb("VmHWM:");
  json out{{"images", o.memoryImages},
           {"labels", labels},
           {"peak_rss_mb", peakMb},
           {"peak_after_import_mb", afterImportMb},
           {"rss_after_open_mb", afterOpenMb},
           {"open_ms", openMs},
           {"label_and_train_s", trainMs / 1000},
           {"versions", status.version},
           {"max_rss_sampled_mb", maxRssMb},
           {"training_progress", progress},
           {"predict_during_session", stats(predictMs)}};
  std::printf(
      "memory: %d images, %d labels through the session (layer4), trained in %.0f s, %d "
      "versions\n",
      o.memoryImages, labels, trainMs / 1000, status.version);
  std::printf("memory: open %.0f ms; RSS after import peak %.0f MB, after open %.0f MB\n", openMs,
              afterImportMb, afterOpenMb);
  printStats("Session::predict while labelling (training)", out["predict_during_session"]);
  std::printf("memory: peak RSS (VmHWM) %.0f MB (target < 2560 MB)\n", peakMb);
  return out;
}

int run(const Options& o) {
  at::set_num_threads(o.threads);
  const bool ownDir = o.dir.empty();
  const fs::path dir =
      ownDir ? fs::temp_directory_path() / ("camlabel-training-bench-" + std::to_string(getpid()))
             : o.dir;
  fs::create_directories(dir);
  std::string machine = cpuModel();
  machine.append(", ")
      .append(std::to_string(std::thread::hardware_concurrency()))
      .append(" cores, libtorch ")
      .append(TORCH_VERSION);
  std::printf("machine: %s\n", machine.c_str());
  std::printf("threads: %d; load average at start: %s\n", o.threads, loadAverage().c_str());
  std::fflush(stdout);
  json results{{"machine", machine}, {"threads", o.threads}, {"load_start", loadAverage()}};
  try {
    if (wants(o, "throughput")) results["throughput"] = throughputPart(o);
    if (wants(o, "latency")) results["latency"] = latencyPart(o, dir);
    if (wants(o, "cam")) results["cam"] = camPart(o, dir);
    if (wants(o, "memory")) results["memory"] = memoryPart(o, dir);
  } catch (...) {
    if (ownDir && !o.keep) fs::remove_all(dir);
    throw;
  }
  results["load_end"] = loadAverage();
  std::printf("load average at end: %s\n", loadAverage().c_str());
  if (ownDir && !o.keep) fs::remove_all(dir);
  if (!o.jsonFile.empty()) std::ofstream(o.jsonFile) << results.dump(1) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  camlabel::keepFreedMemoryForReuse();  // before any thread starts
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "camlabel_training_bench: %s\n", e.what());
    return 1;
  }
}
