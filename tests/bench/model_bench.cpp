// Times the model operations of issue 3 on the CPU and prints one JSON object:
// {"threads": 2, "size": 224, "runs": 20, "results": {"predict": {"median_ms": ..., ...}}}.
// Run through tests/bench/run_model_bench.py, which compares them with python3-torch.
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

nlohmann::json timeIt(int runs, const std::function<void()>& op) {
  for (int i = 0; i < kWarmup; ++i)
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

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::stoi(argv[1]) : 2;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 20;
  const int size = 224;
  at::set_num_threads(threads);

  camlabel::model::ResNet model(camlabel::model::ResNetConfig::resnet50());
  camlabel::model::initializeRandom(model, 1);
  model.eval();
  const at::Tensor input = torch::randn({1, 3, size, size});

  nlohmann::json results;
  results["predict"] = timeIt(runs, [&] {
    torch::NoGradGuard noGrad;
    const at::Tensor probabilities = torch::softmax(model.forward(input), 1);
    (void)probabilities.argmax().item<std::int64_t>();
  });

  namespace explain = camlabel::explain;
  explain::CamRequest gradCam;
  results["gradcam_layer4"] = timeIt(runs, [&] { explain::computeCam(model, input, gradCam); });

  // Score-CAM's cost is one masked forward pass per channel: fast mode with kScoreCamChannels
  // channels gives the per-channel cost that exact mode (2048 channels) multiplies.
  constexpr int kScoreCamChannels = 64;
  explain::CamRequest scoreCam;
  scoreCam.method = explain::CamMethod::ScoreCam;
  scoreCam.scoreCamChannels = kScoreCamChannels;
  results["scorecam_64ch"] =
      timeIt(std::max(3, runs / 5), [&] { explain::computeCam(model, input, scoreCam); });

  const nlohmann::json out{{"threads", threads},
                           {"size", size},
                           {"runs", runs},
                           {"torch", TORCH_VERSION},
                           {"results", results}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
