// SPDX-License-Identifier: Apache-2.0
#include "core/explain/cam.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/utils.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "core/common/error.h"

namespace camlabel::explain {

namespace {

// pytorch-grad-cam's eps: in Grad-CAM++'s and XGradCAM's denominators and in normalisation.
constexpr double kEps = 1e-7;

constexpr std::array<std::pair<std::string_view, CamMethod>, 7> kMethodNames{{
    {"gradcam", CamMethod::GradCam},
    {"hirescam", CamMethod::HiResCam},
    {"gradcam++", CamMethod::GradCamPlusPlus},
    {"xgradcam", CamMethod::XGradCam},
    {"layercam", CamMethod::LayerCam},
    {"eigencam", CamMethod::EigenCam},
    {"scorecam", CamMethod::ScoreCam},
}};

bool needsGradient(CamMethod method) {
  return method != CamMethod::EigenCam && method != CamMethod::ScoreCam;
}

// ReLU(sum_k w_k A_k) for A (K, h, w) and w (K).
at::Tensor weightedSum(const at::Tensor& weights, const at::Tensor& activation) {
  return (weights.view({-1, 1, 1}) * activation).sum(0).relu();
}

// A and G are (K, h, w): the activation and the gradient of the class score with respect to it.
at::Tensor gradientCam(CamMethod method, const at::Tensor& a, const at::Tensor& g) {
  switch (method) {
    case CamMethod::GradCam:
      return weightedSum(g.mean({1, 2}), a);
    case CamMethod::HiResCam:
      return (g * a).sum(0).relu();
    case CamMethod::GradCamPlusPlus: {
      const at::Tensor g2 = g.pow(2);
      const at::Tensor g3 = g.pow(3);
      const at::Tensor s = a.sum({1, 2}).view({-1, 1, 1});
      at::Tensor alpha = g2 / (2 * g2 + s * g3 + kEps);
      alpha = at::where(g != 0, alpha, at::zeros_like(alpha));
      return weightedSum((g.relu() * alpha).sum({1, 2}), a);
    }
    case CamMethod::XGradCam: {
      const at::Tensor s = a.sum({1, 2}).view({-1, 1, 1});
      return weightedSum((g * a / (s + kEps)).sum({1, 2}), a);
    }
    case CamMethod::LayerCam:
      return (g.relu() * a).sum(0).relu();
    case CamMethod::EigenCam:
    case CamMethod::ScoreCam:
      break;
  }
  throw Error("internal error: not a gradient-based CAM method");
}

// The activations' first principal direction. SVD in float64: its sign is arbitrary, so it is
// fixed to correlate positively with the channel-mean activation (pytorch-grad-cam leaves it).
at::Tensor eigenCam(const at::Tensor& a) {
  const std::int64_t k = a.size(0);
  const std::int64_t h = a.size(1);
  const std::int64_t w = a.size(2);
  at::Tensor x = a.to(at::kDouble).reshape({k, h * w}).t();
  x = x - x.mean(0, true);
  const auto svd = at::linalg_svd(x, false);
  at::Tensor projection = x.matmul(std::get<2>(svd)[0]);
  const at::Tensor meanMap = a.to(at::kDouble).mean(0).reshape({-1});
  if (at::dot(projection, meanMap - meanMap.mean()).item<double>() < 0) projection = -projection;
  return projection.reshape({h, w}).relu().to(at::kFloat);
}

// One Score-CAM map per target class from one set of masked forward passes: the logits of every
// class come out of each pass.
std::vector<at::Tensor> scoreCam(model::ResNet& model, const at::Tensor& input,
                                 const at::Tensor& activation, const std::vector<int>& classes,
                                 const CamRequest& request) {
  torch::NoGradGuard noGrad;
  at::Tensor a = activation;  // (K, h, w)
  const std::int64_t channels = a.size(0);
  if (request.scoreCamChannels > 0 && request.scoreCamChannels < channels) {
    const at::Tensor chosen = std::get<1>(at::topk(a.mean({1, 2}), request.scoreCamChannels));
    a = a.index_select(0, std::get<0>(at::sort(chosen)));
  }
  const std::int64_t used = a.size(0);
  const at::Tensor up =
      at::upsample_bilinear2d(a.unsqueeze(0), {input.size(2), input.size(3)}, false)[0];
  const at::Tensor low = up.amin({1, 2}, true);
  const at::Tensor high = up.amax({1, 2}, true);
  // Constancy is decided at the layer's resolution, where it is exact.
  const at::Tensor constant = (a.amax({1, 2}) == a.amin({1, 2})).view({-1, 1, 1});
  const at::Tensor masks =
      at::where(constant, at::zeros_like(up), (up - low) / (high - low)).unsqueeze(1);

  const at::Tensor classIndex =
      at::tensor(std::vector<std::int64_t>(classes.begin(), classes.end()),
                 at::TensorOptions().dtype(at::kLong))
          .to(input.device());
  std::vector<at::Tensor> scores;
  {
    // The masked passes are nearly all of Score-CAM's time: no autograd bookkeeping at all. Their
    // inference-tensor results only feed the functional cat/softmax below, which return normal
    // ones.
    c10::InferenceMode inference;
    for (std::int64_t start = 0; start < used; start += request.scoreCamBatchSize) {
      const std::int64_t end = std::min<std::int64_t>(used, start + request.scoreCamBatchSize);
      // Channels-last: oneDNN's convolutions then skip reordering every activation to its own
      // layout and back, which is most of the time of a small batch on a CPU.
      const at::Tensor batch =
          (input * masks.slice(0, start, end)).contiguous(at::MemoryFormat::ChannelsLast);
      scores.push_back(model.forward(batch).index_select(1, classIndex));
    }
  }
  const at::Tensor weights = at::cat(scores, 0).softmax(0);  // (used, classes)
  std::vector<at::Tensor> maps;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    maps.push_back(weightedSum(weights.select(1, static_cast<std::int64_t>(c)), a));
  }
  return maps;
}

void validate(const model::ResNet& model, const at::Tensor& input, const CamRequest& request) {
  if (model.isTraining()) throw Error("class activation maps need the model in eval() mode");
  if (input.dim() != 4 || input.size(0) != 1 || input.size(1) != 3) {
    throw Error("class activation maps need one normalised image of shape (1, 3, H, W)");
  }
  const int numClasses = model.config().numClasses;
  for (int c : request.classes) {
    if (c < 0 || c >= numClasses) {
      throw Error("class " + std::to_string(c) + " does not exist: the model has " +
                  std::to_string(numClasses) + " classes");
    }
  }
  if (request.classes.empty() && (request.topK < 1 || request.topK > numClasses)) {
    throw Error("top-k needs k between 1 and " + std::to_string(numClasses));
  }
  if (request.scoreCamChannels < 0) throw Error("Score-CAM channels must be 0 (all) or more");
  if (request.scoreCamBatchSize < 1) throw Error("Score-CAM batch size must be at least 1");
}

}  // namespace

CamMethod parseCamMethod(std::string_view name) {
  std::string accepted;
  for (const auto& [text, method] : kMethodNames) {
    if (text == name) return method;
    accepted += (accepted.empty() ? "" : ", ") + std::string(text);
  }
  throw Error("unknown CAM method '" + std::string(name) + "' (accepted: " + accepted + ")");
}

std::vector<CamMethod> parseCamMethods(std::string_view list) {
  if (list == "all") {
    return {CamMethod::GradCam,  CamMethod::HiResCam, CamMethod::GradCamPlusPlus,
            CamMethod::XGradCam, CamMethod::LayerCam, CamMethod::EigenCam,
            CamMethod::ScoreCam};
  }
  std::vector<CamMethod> methods;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    methods.push_back(parseCamMethod(list.substr(start, comma - start)));
    start = comma + 1;
  }
  return methods;
}

std::string_view camMethodName(CamMethod method) {
  for (const auto& [text, value] : kMethodNames) {
    if (value == method) return text;
  }
  return "unknown";
}

at::Tensor upsampleAndNormalize(const at::Tensor& raw, int height, int width) {
  torch::NoGradGuard noGrad;
  at::Tensor up = at::upsample_bilinear2d(raw.to(at::kFloat).view({1, 1, raw.size(0), raw.size(1)}),
                                          {height, width}, false)[0][0];
  up = up - up.min();
  return (up / (up.max() + kEps)).contiguous();
}

std::vector<CamResult> computeCam(model::ResNet& model, const at::Tensor& input,
                                  const CamRequest& request) {
  validate(model, input, request);
  const int height = static_cast<int>(input.size(2));
  const int width = static_cast<int>(input.size(3));

  at::Tensor activation;
  {
    torch::NoGradGuard noGrad;
    activation = model.features(input, request.layer);
  }
  const bool gradient = needsGradient(request.method);
  at::Tensor logits;
  if (gradient) {
    // A leaf of its own: the graph starts here, and grad() is asked for it alone.
    activation = activation.detach().requires_grad_(true);
    logits = model.head(activation, request.layer);
  } else {
    torch::NoGradGuard noGrad;
    logits = model.head(activation, request.layer);
  }

  std::vector<int> classes = request.classes;
  if (classes.empty()) {
    const at::Tensor top = std::get<1>(at::topk(logits.detach()[0], request.topK));
    for (std::int64_t i = 0; i < top.numel(); ++i)
      classes.push_back(top[i].item<int>());
  }
  const at::Tensor scores = logits.detach()[0].to(at::kCPU);
  const at::Tensor probabilities = scores.softmax(0);

  std::vector<at::Tensor> raws;
  if (gradient) {
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const bool more = i + 1 < classes.size();
      const at::Tensor g =
          torch::autograd::grad({logits[0][classes[i]]}, {activation}, {}, more, false)[0];
      torch::NoGradGuard noGrad;
      raws.push_back(gradientCam(request.method, activation.detach()[0], g[0]));
    }
  } else if (request.method == CamMethod::EigenCam) {
    torch::NoGradGuard noGrad;
    const at::Tensor map = eigenCam(activation[0]);
    for (std::size_t i = 0; i < classes.size(); ++i)
      raws.push_back(i == 0 ? map : map.clone());
  } else {
    raws = scoreCam(model, input, activation[0], classes, request);
  }

  std::vector<CamResult> results;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    CamResult result;
    result.classIndex = classes[i];
    result.logit = scores[classes[i]].item<float>();
    result.probability = probabilities[classes[i]].item<float>();
    result.probabilities = probabilities;
    result.raw = raws[i].to(at::kCPU).contiguous();
    result.normalized = upsampleAndNormalize(result.raw, height, width);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace camlabel::explain
