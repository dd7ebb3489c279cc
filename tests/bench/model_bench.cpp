// SPDX-License-Identifier: Apache-2.0
// Times the model operations of issue 3 on the CPU and prints one JSON object:
// {"threads": 2, "size": 224, "runs": 20, "results": {"predict": {"median_ms": ..., ...}}}.
// Run through tests/bench/run_model_bench.py, which compares them with python3-torch.
// `camlabel_model_bench THREADS RUNS --sweep-scorecam` times Score-CAM's masked passes per batch
// size and memory format instead; `--scorecam-only` times Score-CAM alone.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "core/explain/cam.h"
#include "core/model/resnet.h"

namespace {

using Clock = std::chrono::steady_clock;

// Warm-up runs are not timed: the first calls allocate and pick kernels.
constexpr int kWarmup = 3;

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

nlohmann::json timeIt(int runs, const std::function<void()>& op, int warmup = kWarmup) {
  for (int i = 0; i < warmup; ++i)
    op();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    op();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {{"median_ms", ms[ms.size() / 2]},
          {"p90_ms", ms[ms.size() * 9 / 10]},
          {"min_ms", ms.front()},
          {"peak_rss_mb", peakRssMb()}};
}

}  // namespace

// Score-CAM's masked forward passes with other batch sizes and memory formats, as in
// explain::computeCam: how its default batch size was chosen. The settings take turns, round after
// round, so that a busy spell on the machine hits all of them alike; prints the median wall time
// and this process's CPU time of each.
void sweepScoreCamBatches(camlabel::model::ResNet& model, const at::Tensor& input, int rounds) {
  constexpr int kChannels = 64;
  const at::Tensor masks = torch::rand({kChannels, 1, input.size(2), input.size(3)});
  struct Setting {
    bool channelsLast;
    int batch;
    std::vector<double> wall;
    std::vector<double> cpu;
  };
  std::vector<Setting> settings;
  for (const bool channelsLast : {false, true}) {
    for (const int batch : {1, 2, 4, 8, 16, 32})
      settings.push_back({channelsLast, batch, {}, {}});
  }
  auto passes = [&](const Setting& setting, int count) {
    c10::InferenceMode inference;
    for (int start = 0; start < count; start += setting.batch) {
      at::Tensor masked = input * masks.slice(0, start, std::min(count, start + setting.batch));
      if (setting.channelsLast) masked = masked.contiguous(at::MemoryFormat::ChannelsLast);
      (void)model.forward(masked);
    }
  };
  for (const Setting& setting : settings)
    passes(setting, setting.batch);  // warm-up: allocations and kernel choice for each shape
  for (int round = 0; round < rounds; ++round) {
    for (Setting& setting : settings) {
      const double cpuStart = cpuSeconds();
      const auto start = Clock::now();
      passes(setting, kChannels);
      setting.wall.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      setting.cpu.push_back((cpuSeconds() - cpuStart) * 1000.0);
    }
  }
  for (Setting& setting : settings) {
    std::sort(setting.wall.begin(), setting.wall.end());
    std::sort(setting.cpu.begin(), setting.cpu.end());
    std::printf("%s batch %2d: %d masked passes, median wall %.0f ms (min %.0f), cpu %.0f ms\n",
                setting.channelsLast ? "channels_last" : "contiguous   ", setting.batch, kChannels,
                setting.wall[setting.wall.size() / 2], setting.wall.front(),
                setting.cpu[setting.cpu.size() / 2]);
  }
}

nlohmann::json timeAll(camlabel::model::ResNet& model, const at::Tensor& input, int runs) {
  nlohmann::json results;
  results["predict"] = timeIt(runs, [&] {
    torch::NoGradGuard noGrad;
    const at::Tensor probabilities = torch::softmax(model.forward(input), 1);
    (void)probabilities.argmax().item<std::int64_t>();
  });
  // layer4, as run_model_bench.py's Python side hooks it (not explain::kDefaultCamLayer: the
  // ratio compares the same work), then the app's other layers on their own.
  for (const auto layer :
       {camlabel::model::ResNetLayer::kLayer4, camlabel::model::ResNetLayer::kLayer3,
        camlabel::model::ResNetLayer::kLayer2}) {
    camlabel::explain::CamRequest gradCam;
    gradCam.layer = layer;
    results["gradcam_" + std::string(camlabel::model::resNetLayerName(layer))] =
        timeIt(runs, [&] { camlabel::explain::computeCam(model, input, gradCam); });
  }
  return results;
}

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::stoi(argv[1]) : 2;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 20;
  const std::string mode = argc > 3 ? argv[3] : "";
  const int size = 224;
  at::set_num_threads(threads);

  camlabel::model::ResNet model(camlabel::model::ResNetConfig::resnet50());
  camlabel::model::initializeRandom(model, 1);
  model.eval();
  const at::Tensor input = torch::randn({1, 3, size, size});
  if (mode == "--sweep-scorecam") {
    sweepScoreCamBatches(model, input, runs);
    return 0;
  }

  namespace explain = camlabel::explain;
  // Score-CAM's cost is one masked forward pass per channel: fast mode with kScoreCamChannels
  // channels gives the per-channel cost that exact mode (2048 channels) multiplies.
  constexpr int kScoreCamChannels = 64;
  explain::CamRequest scoreCam;
  scoreCam.method = explain::CamMethod::ScoreCam;
  scoreCam.layer = camlabel::model::ResNetLayer::kLayer4;  // as the Python side
  scoreCam.scoreCamChannels = kScoreCamChannels;
  auto runScoreCam = [&] { explain::computeCam(model, input, scoreCam); };
  nlohmann::json results;
  if (mode == "--scorecam-only") {
    // One warm-up: run_model_bench.py --interleave calls this between its own Python runs.
    results["scorecam_64ch"] = timeIt(runs, runScoreCam, 1);
  } else {
    results = timeAll(model, input, runs);
    results["scorecam_64ch"] = timeIt(std::max(3, runs / 5), runScoreCam);
  }

  const nlohmann::json out{{"threads", threads},
                           {"size", size},
                           {"runs", runs},
                           {"torch", TORCH_VERSION},
                           {"results", results}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
