// SPDX-License-Identifier: Apache-2.0
#include "core/explain/sanity.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/explain/cam_render.h"

namespace camlabel::explain {

namespace {

constexpr int kCompareSide = 64;

std::vector<double> ranks(const cv::Mat& m) {
  cv::Mat flat = m.reshape(1, 1);
  std::vector<double> values(flat.begin<float>(), flat.end<float>());
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto i, auto j) { return values[i] < values[j]; });
  std::vector<double> r(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
      ++j;
    const double mean = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k)
      r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

cv::Mat asFloat(const cv::Mat& m) {
  cv::Mat out;
  m.convertTo(out, CV_32F);
  return out.isContinuous() ? out : out.clone();
}

cv::Mat shrink(const cv::Mat& m) {
  cv::Mat out;
  cv::resize(asFloat(m), out, cv::Size(kCompareSide, kCompareSide), 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

double spearman(const cv::Mat& aIn, const cv::Mat& bIn) {
  if (aIn.size() != bIn.size() || aIn.empty()) throw Error("maps to correlate differ in size");
  const std::vector<double> a = ranks(asFloat(aIn));
  const std::vector<double> b = ranks(asFloat(bIn));
  const double n = static_cast<double>(a.size());
  const double mean = (n + 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - mean) * (b[i] - mean);
    saa += (a[i] - mean) * (a[i] - mean);
    sbb += (b[i] - mean) * (b[i] - mean);
  }
  // A constant map (e.g. a CAM that ReLU emptied) has no ranking: two constant maps agree, a
  // constant and a structured one are uncorrelated.
  if (saa == 0 || sbb == 0) return saa == sbb ? 1.0 : 0.0;
  return sab / std::sqrt(saa * sbb);
}

double ssim(const cv::Mat& aIn, const cv::Mat& bIn) {
  if (aIn.size() != bIn.size() || aIn.empty()) throw Error("maps to compare differ in size");
  cv::Mat a, b;
  asFloat(aIn).convertTo(a, CV_64F);
  asFloat(bIn).convertTo(b, CV_64F);
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;  // dynamic range 1
  auto blur = [](const cv::Mat& m) {
    cv::Mat out;
    cv::GaussianBlur(m, out, cv::Size(11, 11), 1.5);
    return out;
  };
  const cv::Mat muA = blur(a), muB = blur(b);
  const cv::Mat muA2 = muA.mul(muA), muB2 = muB.mul(muB), muAB = muA.mul(muB);
  const cv::Mat varA = blur(a.mul(a)) - muA2, varB = blur(b.mul(b)) - muB2;
  const cv::Mat cov = blur(a.mul(b)) - muAB;
  cv::Mat num = (2 * muAB + c1).mul(2 * cov + c2);
  cv::Mat den = (muA2 + muB2 + c1).mul(varA + varB + c2);
  cv::Mat map;
  cv::divide(num, den, map);
  return cv::mean(map)[0];
}

RandomisationCheck randomisationCheck(const model::ResNet& model, const Explainer& explain,
                                      std::uint64_t seed, double threshold) {
  // A copy to randomise, and a freshly initialised network to take layers from.
  model::ResNet copy(model.config());
  model::ResNet fresh(model.config());
  std::map<std::string, at::Tensor> target;
  {
    torch::NoGradGuard noGrad;
    model::StateDict weights;
    for (const auto& [name, tensor] : model.stateDict())
      weights.emplace_back(name, tensor.detach().clone());
    model::loadStateDict(copy, weights, model::HeadWeights::kLoad, "the model");
    model::initializeRandom(fresh, seed);
    const c10::Device device = weights.front().second.device();
    copy.to(device);
    fresh.to(device);
    copy.eval();
    for (auto& [name, tensor] : copy.stateDict())
      target.emplace(name, tensor);
  }

  const cv::Mat original = shrink(explain(copy));
  RandomisationCheck check;
  check.threshold = threshold;
  std::string randomised;
  for (const char* stage : {"fc.", "layer4.", "layer3.", "layer2.", "layer1.", ""}) {
    const std::string prefix = stage;
    torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : fresh.stateDict()) {
      const bool stem =
          prefix.empty() && (name.rfind("conv1.", 0) == 0 || name.rfind("bn1.", 0) == 0);
      if (stem || (!prefix.empty() && name.rfind(prefix, 0) == 0)) target.at(name).copy_(tensor);
    }
    if (!randomised.empty()) randomised.append(", ");
    randomised.append(prefix.empty() ? "stem" : prefix.substr(0, prefix.size() - 1));
    const cv::Mat map = [&] {
      const at::AutoGradMode gradients(true);  // the explainer decides what needs gradients
      return shrink(explain(copy));
    }();
    check.steps.push_back({randomised, std::abs(spearman(original, map)), ssim(original, map)});
  }
  const double last = check.steps.back().spearman;
  check.insensitive = last >= threshold;
  char text[200];
  std::snprintf(text, sizeof text,
                check.insensitive
                    ? "the map barely changes when every layer is random (rank correlation %.2f, "
                      "threshold %.2f): it does not show what the model learned"
                    : "the map changes when the model is randomised (rank correlation %.2f with "
                      "every layer random, threshold %.2f): it depends on the model",
                last, threshold);
  check.message = text;
  return check;
}

RandomisationCheck randomisationCheck(const model::ResNet& model, const at::Tensor& input,
                                      const CamRequest& request, std::uint64_t seed,
                                      double threshold) {
  // The first call explains the unrandomised copy; its target class is then kept, so every
  // randomised step explains the same class.
  CamRequest fixed = request;
  fixed.topK = 1;
  if (fixed.classes.size() > 1) fixed.classes.erase(fixed.classes.begin() + 1, fixed.classes.end());
  const int height = static_cast<int>(input.size(2)), width = static_cast<int>(input.size(3));
  return randomisationCheck(
      model,
      [&](model::ResNet& m) {
        const std::vector<CamResult> r = computeCam(m, input, fixed);
        fixed.classes.assign(1, r.front().classIndex);
        return camToMat(upsampleAndNormalize(r.front().raw, height, width));
      },
      seed, threshold);
}

}  // namespace camlabel::explain
