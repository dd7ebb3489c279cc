// SPDX-License-Identifier: Apache-2.0
#include "core/learning/active_learning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "core/common/error.h"

namespace camlabel::learning {

namespace {

constexpr std::pair<LabellingOrder, std::string_view> kOrderNames[] = {
    {LabellingOrder::kFile, "file"},
    {LabellingOrder::kRandom, "random"},
    {LabellingOrder::kUncertain, "uncertain"},
    {LabellingOrder::kSpread, "spread"},
};

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

/// Cosine distance of L2-normalised vectors, clamped to [0, 2] against rounding.
double distance(const std::vector<float>& a, const std::vector<float>& b) {
  return std::clamp(1.0 - dot(a, b), 0.0, 2.0);
}

double distanceToNearest(const std::vector<float>& e, const std::vector<std::vector<float>>& set) {
  if (set.empty()) return 1;
  double nearest = std::numeric_limits<double>::infinity();
  for (const auto& other : set)
    nearest = std::min(nearest, distance(e, other));
  return nearest;
}

/// The two most probable classes (the first index wins a tie).
std::pair<int, int> topTwo(const std::vector<float>& p) {
  int first = 0;
  for (int c = 1; c < static_cast<int>(p.size()); ++c)
    if (p[c] > p[first]) first = c;
  int second = first == 0 ? 1 : 0;
  for (int c = 0; c < static_cast<int>(p.size()); ++c)
    if (c != first && p[c] > p[second]) second = c;
  return {first, second};
}

void validate(const std::vector<ScoredImage>& candidates,
              const std::vector<std::vector<float>>& labelled) {
  if (candidates.empty()) throw Error("no unlabelled slice to choose from");
  const std::size_t classes = candidates.front().probabilities.size();
  const std::size_t dims = candidates.front().embedding.size();
  if (classes < 2) throw Error("choosing a slice needs the probabilities of at least two classes");
  for (const ScoredImage& c : candidates) {
    if (c.probabilities.size() != classes || c.embedding.size() != dims) {
      throw Error("slice " + std::to_string(c.imageId) +
                  " was scored with another model shape than the others");
    }
  }
  for (const auto& e : labelled)
    if (e.size() != dims) throw Error("a labelled slice's features have another length");
}

}  // namespace

std::optional<LabellingOrder> parseLabellingOrder(std::string_view name) {
  for (const auto& [order, text] : kOrderNames)
    if (text == name) return order;
  return std::nullopt;
}

std::string_view labellingOrderName(LabellingOrder order) {
  for (const auto& [o, text] : kOrderNames)
    if (o == order) return text;
  return "file";
}

std::vector<float> normalised(std::vector<float> v) {
  double norm = 0;
  for (const float x : v)
    norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  if (norm > 0)
    for (float& x : v)
      x = static_cast<float>(x / norm);
  return v;
}

std::string describeChoice(const InformativeChoice& choice,
                           const std::vector<std::string>& classNames) {
  if (choice.reason == ChoiceReason::kUnlike)
    return "the least like the slices labelled so far (no model yet)";
  const auto name = [&](int c) {
    return c >= 0 && static_cast<std::size_t>(c) < classNames.size()
               ? classNames[static_cast<std::size_t>(c)]
               : "class " + std::to_string(c);
  };
  const auto percent = [](double p) { return std::to_string(std::lround(p * 100)) + "%"; };
  return "unsure between " + name(choice.first) + " (" + percent(choice.firstProbability) +
         ") and " + name(choice.second) + " (" + percent(choice.secondProbability) + ")";
}

InformativeChoice chooseInformative(const std::vector<ScoredImage>& candidates,
                                    const std::vector<std::vector<float>>& labelledEmbeddings,
                                    bool modelLearned, const ActiveLearningOptions& options) {
  validate(candidates, labelledEmbeddings);
  const auto describe = [&](std::size_t index, ChoiceReason reason, double novelty) {
    const ScoredImage& c = candidates[index];
    const auto [first, second] = topTwo(c.probabilities);
    InformativeChoice choice;
    choice.imageId = c.imageId;
    choice.reason = reason;
    choice.first = first;
    choice.second = second;
    choice.firstProbability = c.probabilities[static_cast<std::size_t>(first)];
    choice.secondProbability = c.probabilities[static_cast<std::size_t>(second)];
    choice.margin = choice.firstProbability - choice.secondProbability;
    choice.distanceToLabelled = novelty;
    return choice;
  };

  if (!modelLearned) {
    // Every candidate's distance to the labelled slices: few are labelled before two classes are.
    std::vector<double> novelty(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i)
      novelty[i] = distanceToNearest(candidates[i].embedding, labelledEmbeddings);
    std::size_t best = 0;
    if (labelledEmbeddings.empty()) {
      // The most typical slice first: nearest the mean of them all.
      std::vector<float> mean(candidates.front().embedding.size(), 0.0f);
      for (const ScoredImage& c : candidates)
        for (std::size_t d = 0; d < mean.size(); ++d)
          mean[d] += c.embedding[d];
      double bestDot = -std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const double similarity = dot(candidates[i].embedding, mean);
        if (similarity > bestDot) {
          bestDot = similarity;
          best = i;
        }
      }
    } else {
      for (std::size_t i = 1; i < candidates.size(); ++i)
        if (novelty[i] > novelty[best]) best = i;
    }
    return describe(best, ChoiceReason::kUnlike, novelty[best]);
  }

  // Margins of all (classes per slice), distances only for the shortlist (slices x labelled x
  // features would be seconds at 10,000 slices).
  std::vector<double> margin(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto [first, second] = topTwo(candidates[i].probabilities);
    margin[i] = static_cast<double>(candidates[i].probabilities[static_cast<std::size_t>(first)]) -
                candidates[i].probabilities[static_cast<std::size_t>(second)];
  }
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t shortlist =
      std::min(order.size(), static_cast<std::size_t>(std::max(1, options.shortlist)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shortlist),
                    order.end(), [&](std::size_t a, std::size_t b) {
                      return margin[a] < margin[b] || (margin[a] == margin[b] && a < b);
                    });
  std::vector<double> novelty(shortlist);
  double farthest = 0;
  for (std::size_t k = 0; k < shortlist; ++k) {
    novelty[k] = distanceToNearest(candidates[order[k]].embedding, labelledEmbeddings);
    farthest = std::max(farthest, novelty[k]);
  }
  std::size_t bestK = 0;
  double bestScore = -1;
  for (std::size_t k = 0; k < shortlist; ++k) {
    const double relative = farthest > 0 ? novelty[k] / farthest : 1.0;
    const double score = (1.0 - margin[order[k]]) * relative;
    if (score > bestScore) {
      bestScore = score;
      bestK = k;
    }
  }
  return describe(order[bestK], ChoiceReason::kUncertain, novelty[bestK]);
}

std::optional<std::int64_t> chooseSpread(const std::vector<SeriesSlice>& slices) {
  // Each series' slices, in the order given, series in order of first appearance.
  std::vector<std::string> seriesOrder;
  std::map<std::string, std::vector<const SeriesSlice*>> bySeries;
  for (const SeriesSlice& slice : slices) {
    auto [it, added] = bySeries.try_emplace(slice.series);
    if (added) seriesOrder.push_back(slice.series);
    it->second.push_back(&slice);
  }
  std::optional<std::int64_t> best;
  std::size_t bestDistance = 0;
  for (const std::string& series : seriesOrder) {
    const std::vector<const SeriesSlice*>& members = bySeries[series];
    const std::size_t n = members.size();
    // Distance to the nearest decided slice, from both sides in two sweeps; n when none is.
    std::vector<std::size_t> nearest(n, n);
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < n; ++i) {
      if (members[i]->decided) last = i;
      if (last) nearest[i] = i - *last;
    }
    last.reset();
    for (std::size_t i = n; i-- > 0;) {
      if (members[i]->decided) last = i;
      if (last) nearest[i] = std::min(nearest[i], *last - i);
    }
    const double middle = (static_cast<double>(n) - 1) / 2;
    std::optional<std::size_t> pick;
    for (std::size_t i = 0; i < n; ++i) {
      if (!members[i]->eligible) continue;
      // Farther first; with none decided (all at n), nearer the middle first.
      const bool better = !pick || nearest[i] > nearest[*pick] ||
                          (nearest[i] == nearest[*pick] && nearest[i] == n &&
                           std::abs(static_cast<double>(i) - middle) <
                               std::abs(static_cast<double>(*pick) - middle));
      if (better) pick = i;
    }
    if (pick && (!best || nearest[*pick] > bestDistance)) {
      best = members[*pick]->imageId;
      bestDistance = nearest[*pick];
    }
  }
  return best;
}

}  // namespace camlabel::learning
