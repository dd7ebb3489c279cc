// SPDX-License-Identifier: Apache-2.0
#include "core/learning/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace camlabel::learning {
namespace {

void checkClass(int index, int classCount, const char* what, std::size_t sample) {
  if (index < 0 || index >= classCount) {
    std::string message = "the ";
    message.append(what)
        .append(" class of sample ")
        .append(std::to_string(sample))
        .append(" is ")
        .append(std::to_string(index))
        .append(", outside the ")
        .append(std::to_string(classCount))
        .append(" classes 0..")
        .append(std::to_string(classCount - 1))
        .append(".");
    throw Error(message);
  }
}

void checkClassCount(int classCount) {
  if (classCount < 1)
    throw Error("an evaluation needs at least one class, got " + std::to_string(classCount) + ".");
}

std::optional<double> ratio(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

/// One-vs-rest ROC AUC of column k as the Mann-Whitney statistic: the share of (positive,
/// negative) pairs ordered correctly, ties counting one half. This is the area under the
/// trapezoidal ROC curve that sklearn integrates.
std::optional<double> rocAuc(const std::vector<int>& truth,
                             const std::vector<std::vector<double>>& scores, int k) {
  const std::size_t n = truth.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a][k] < scores[b][k]; });
  // Sum of the 1-based ranks of the positives, tied scores sharing their mean rank; doubled to
  // stay in integers.
  std::int64_t doubledRankSum = 0;
  std::int64_t positives = 0;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start;
    while (end < n && scores[order[end]][k] == scores[order[start]][k])
      ++end;
    const auto doubledMeanRank = static_cast<std::int64_t>(start + 1 + end);
    for (std::size_t i = start; i < end; ++i)
      if (truth[order[i]] == k) {
        doubledRankSum += doubledMeanRank;
        ++positives;
      }
    start = end;
  }
  const std::int64_t negatives = static_cast<std::int64_t>(n) - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const std::int64_t doubledU = doubledRankSum - positives * (positives + 1);
  return static_cast<double>(doubledU) /
         (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

void checkNames(const std::vector<std::string>& names, int classCount) {
  if (!names.empty() && static_cast<int>(names.size()) != classCount)
    throw Error("the evaluation has " + std::to_string(classCount) + " classes but " +
                std::to_string(names.size()) + " class names were given.");
}

nlohmann::json orNull(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string fixed(const std::optional<double>& value, int decimals = 3) {
  if (!value) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *value);
  return buffer;
}

/// Characters as a terminal counts them, roughly: UTF-8 code points.
std::size_t displayWidth(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string padRight(const std::string& text, std::size_t width) {
  const std::size_t shown = displayWidth(text);
  return shown >= width ? text : text + std::string(width - shown, ' ');
}

std::string padLeft(const std::string& text, std::size_t width) {
  const std::size_t shown = displayWidth(text);
  return shown >= width ? text : std::string(width - shown, ' ') + text;
}

std::string classLabel(int k, const std::vector<std::string>& names) {
  std::string label = std::to_string(k);
  if (!names.empty()) label.append(" ").append(names[static_cast<std::size_t>(k)]);
  return label;
}

std::string classList(const std::vector<int>& classes, const std::vector<std::string>& names) {
  std::string out;
  for (int k : classes) {
    if (!out.empty()) out += ", ";
    out += classLabel(k, names);
  }
  return out;
}

std::size_t labelColumnWidth(int classCount, const std::vector<std::string>& names) {
  std::size_t width = 5;  // "class"
  for (int k = 0; k < classCount; ++k)
    width = std::max(width, displayWidth(classLabel(k, names)));
  return width + 2;
}

}  // namespace

ClassificationMetrics evaluateClassification(const std::vector<int>& truth,
                                             const std::vector<int>& predicted,
                                             const std::vector<std::vector<double>>& probabilities,
                                             int classCount) {
  checkClassCount(classCount);
  if (truth.empty()) throw Error("there are no samples to evaluate.");
  if (predicted.size() != truth.size())
    throw Error("the evaluation has " + std::to_string(truth.size()) + " true classes but " +
                std::to_string(predicted.size()) + " predictions.");
  if (!probabilities.empty() && probabilities.size() != truth.size())
    throw Error("the evaluation has " + std::to_string(truth.size()) + " samples but " +
                std::to_string(probabilities.size()) + " probability rows.");
  for (std::size_t i = 0; i < truth.size(); ++i) {
    checkClass(truth[i], classCount, "true", i);
    checkClass(predicted[i], classCount, "predicted", i);
  }
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const std::vector<double>& row = probabilities[i];
    if (static_cast<int>(row.size()) != classCount)
      throw Error("the probabilities of sample " + std::to_string(i) + " have " +
                  std::to_string(row.size()) + " entries, not one per class (" +
                  std::to_string(classCount) + ").");
    for (std::size_t k = 0; k < row.size(); ++k)
      if (!std::isfinite(row[k]))
        throw Error("the probability of class " + std::to_string(k) + " for sample " +
                    std::to_string(i) + " is not a finite number.");
  }

  ClassificationMetrics m;
  m.classCount = classCount;
  m.samples = static_cast<int>(truth.size());
  const auto K = static_cast<std::size_t>(classCount);
  m.confusion.assign(K, std::vector<int>(K, 0));
  m.perClass.assign(K, ClassMetrics{});
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto t = static_cast<std::size_t>(truth[i]);
    const auto p = static_cast<std::size_t>(predicted[i]);
    ++m.confusion[t][p];
    ++m.perClass[t].support;
    ++m.perClass[p].predicted;
    if (t == p) {
      ++m.perClass[t].correct;
      ++m.correct;
    }
  }
  m.accuracy = static_cast<double>(m.correct) / static_cast<double>(m.samples);

  double aucSum = 0;
  for (int k = 0; k < classCount; ++k) {
    ClassMetrics& c = m.perClass[static_cast<std::size_t>(k)];
    c.recall = ratio(c.correct, c.support);
    c.precision = ratio(c.correct, c.predicted);
    if (c.support == 0) m.absentClasses.push_back(k);
    if (!probabilities.empty()) c.auc = rocAuc(truth, probabilities, k);
    if (c.auc) {
      m.aucClasses.push_back(k);
      aucSum += *c.auc;
    }
  }
  if (!m.aucClasses.empty()) m.macroAuc = aucSum / static_cast<double>(m.aucClasses.size());

  // kappa = (po - pe) / (1 - pe) with po = correct / n and pe = sum(rows * columns) / n^2,
  // multiplied through by n^2 so that only the final division rounds.
  const auto n = static_cast<std::int64_t>(m.samples);
  std::int64_t chance = 0;
  for (const ClassMetrics& c : m.perClass)
    chance += static_cast<std::int64_t>(c.support) * c.predicted;
  if (n * n != chance)
    m.kappa = static_cast<double>(n * m.correct - chance) / static_cast<double>(n * n - chance);

  if (!probabilities.empty()) {
    std::vector<double> confidenceSum(kCalibrationBins, 0.0);
    std::vector<int> rightIn(kCalibrationBins, 0), countIn(kCalibrationBins, 0);
    double confidenceTotal = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const double confidence = probabilities[i][static_cast<std::size_t>(predicted[i])];
      // Bins (k/B, (k+1)/B], the first one closed at 0.
      const int bin = std::clamp(static_cast<int>(std::ceil(confidence * kCalibrationBins)) - 1, 0,
                                 kCalibrationBins - 1);
      confidenceSum[static_cast<std::size_t>(bin)] += confidence;
      ++countIn[static_cast<std::size_t>(bin)];
      if (truth[i] == predicted[i]) ++rightIn[static_cast<std::size_t>(bin)];
      confidenceTotal += confidence;
    }
    double ece = 0;
    for (std::size_t b = 0; b < confidenceSum.size(); ++b) {
      if (countIn[b] == 0) continue;
      const double count = countIn[b];
      ece +=
          count / static_cast<double>(n) * std::abs(rightIn[b] / count - confidenceSum[b] / count);
    }
    m.ece = ece;
    m.meanConfidence = confidenceTotal / static_cast<double>(n);
  }
  return m;
}

nlohmann::json toJson(const ClassificationMetrics& m, const std::vector<std::string>& classNames) {
  checkNames(classNames, m.classCount);
  nlohmann::json j;
  j["samples"] = m.samples;
  j["classes"] = m.classCount;
  j["correct"] = m.correct;
  j["accuracy"] = m.accuracy;
  j["macro_auc"] = orNull(m.macroAuc);
  j["auc_classes"] = m.aucClasses;
  j["absent_classes"] = m.absentClasses;
  j["kappa"] = orNull(m.kappa);
  j["ece"] = orNull(m.ece);
  j["mean_confidence"] = orNull(m.meanConfidence);
  nlohmann::json perClass = nlohmann::json::array();
  for (std::size_t k = 0; k < m.perClass.size(); ++k) {
    const ClassMetrics& c = m.perClass[k];
    nlohmann::json row;
    row["class"] = k;
    if (!classNames.empty()) row["name"] = classNames[k];
    row["support"] = c.support;
    row["predicted"] = c.predicted;
    row["correct"] = c.correct;
    row["recall"] = orNull(c.recall);
    row["precision"] = orNull(c.precision);
    row["auc"] = orNull(c.auc);
    perClass.push_back(std::move(row));
  }
  j["per_class"] = std::move(perClass);
  j["confusion"] = m.confusion;
  return j;
}

std::string toText(const ClassificationMetrics& m, const std::vector<std::string>& classNames) {
  checkNames(classNames, m.classCount);
  std::ostringstream out;
  out << "samples        " << m.samples << '\n';
  out << "accuracy       " << fixed(m.accuracy, 4) << "  (" << m.correct << " of " << m.samples
      << ")\n";
  out << "macro AUC      " << fixed(m.macroAuc, 4);
  if (m.macroAuc) out << "  (over " << m.aucClasses.size() << " of " << m.classCount << " classes)";
  out << '\n';
  out << "Cohen's kappa  " << fixed(m.kappa, 4) << '\n';
  if (m.ece) {
    out << "calibration    ECE " << fixed(m.ece, 4) << ", mean confidence "
        << fixed(m.meanConfidence, 4) << '\n';
  }
  if (!m.absentClasses.empty())
    out << "not in the truth (no recall, no AUC): " << classList(m.absentClasses, classNames)
        << '\n';

  const std::size_t labelWidth = labelColumnWidth(m.classCount, classNames);
  out << '\n'
      << padRight("class", labelWidth) << padLeft("support", 8) << padLeft("recall", 9)
      << padLeft("precision", 11) << padLeft("AUC", 8) << '\n';
  for (int k = 0; k < m.classCount; ++k) {
    const ClassMetrics& c = m.perClass[static_cast<std::size_t>(k)];
    out << padRight(classLabel(k, classNames), labelWidth) << padLeft(std::to_string(c.support), 8)
        << padLeft(fixed(c.recall), 9) << padLeft(fixed(c.precision), 11)
        << padLeft(fixed(c.auc), 8) << '\n';
  }

  std::size_t cell = 4;
  for (const auto& row : m.confusion)
    for (int v : row)
      cell = std::max(cell, std::to_string(v).size() + 2);
  out << "\nconfusion matrix (rows: truth, columns: prediction)\n" << std::string(labelWidth, ' ');
  for (int k = 0; k < m.classCount; ++k)
    out << padLeft(std::to_string(k), cell);
  out << '\n';
  for (int t = 0; t < m.classCount; ++t) {
    out << padRight(classLabel(t, classNames), labelWidth);
    for (int v : m.confusion[static_cast<std::size_t>(t)])
      out << padLeft(std::to_string(v), cell);
    out << '\n';
  }
  return out.str();
}

PrequentialMetrics prequentialAccuracy(const std::vector<PrequentialRecord>& records,
                                       int classCount, int window) {
  checkClassCount(classCount);
  if (window < 1)
    throw Error("the prequential window must hold at least one label, got " +
                std::to_string(window) + ".");
  PrequentialMetrics m;
  m.window = window;
  m.labels = static_cast<int>(records.size());
  m.perClass.assign(static_cast<std::size_t>(classCount), PrequentialClass{});

  struct Outcome {
    int truth;
    bool correct;
  };
  std::deque<Outcome> inWindow;
  int windowCorrect = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const PrequentialRecord& r = records[i];
    checkClass(r.truth, classCount, "true", i);
    if (!r.predicted) {
      ++m.withoutPrediction;
    } else {
      checkClass(*r.predicted, classCount, "predicted", i);
      const bool correct = *r.predicted == r.truth;
      PrequentialClass& c = m.perClass[static_cast<std::size_t>(r.truth)];
      ++m.evaluated;
      ++c.evaluated;
      if (correct) {
        ++m.correct;
        ++c.correct;
        ++windowCorrect;
      }
      inWindow.push_back({r.truth, correct});
      if (static_cast<int>(inWindow.size()) > window) {
        windowCorrect -= inWindow.front().correct ? 1 : 0;
        inWindow.pop_front();
      }
    }
    if (!inWindow.empty())
      m.curve.push_back(
          {static_cast<int>(i) + 1, static_cast<int>(inWindow.size()),
           static_cast<double>(windowCorrect) / static_cast<double>(inWindow.size())});
  }
  m.cumulativeAccuracy = ratio(m.correct, m.evaluated);
  m.windowCount = static_cast<int>(inWindow.size());
  m.windowAccuracy = ratio(windowCorrect, m.windowCount);
  for (const Outcome& o : inWindow) {
    PrequentialClass& c = m.perClass[static_cast<std::size_t>(o.truth)];
    ++c.windowEvaluated;
    if (o.correct) ++c.windowCorrect;
  }
  for (PrequentialClass& c : m.perClass) {
    c.accuracy = ratio(c.correct, c.evaluated);
    c.windowAccuracy = ratio(c.windowCorrect, c.windowEvaluated);
  }
  return m;
}

nlohmann::json toJson(const PrequentialMetrics& m, const std::vector<std::string>& classNames) {
  checkNames(classNames, static_cast<int>(m.perClass.size()));
  nlohmann::json j;
  j["window"] = m.window;
  j["labels"] = m.labels;
  j["without_prediction"] = m.withoutPrediction;
  j["evaluated"] = m.evaluated;
  j["correct"] = m.correct;
  j["cumulative_accuracy"] = orNull(m.cumulativeAccuracy);
  j["window_count"] = m.windowCount;
  j["window_accuracy"] = orNull(m.windowAccuracy);
  nlohmann::json perClass = nlohmann::json::array();
  for (std::size_t k = 0; k < m.perClass.size(); ++k) {
    const PrequentialClass& c = m.perClass[k];
    nlohmann::json row;
    row["class"] = k;
    if (!classNames.empty()) row["name"] = classNames[k];
    row["evaluated"] = c.evaluated;
    row["correct"] = c.correct;
    row["accuracy"] = orNull(c.accuracy);
    row["window_evaluated"] = c.windowEvaluated;
    row["window_correct"] = c.windowCorrect;
    row["window_accuracy"] = orNull(c.windowAccuracy);
    perClass.push_back(std::move(row));
  }
  j["per_class"] = std::move(perClass);
  nlohmann::json curve = nlohmann::json::array();
  for (const PrequentialPoint& p : m.curve)
    curve.push_back({p.label, p.windowCount, p.accuracy});
  j["curve"] = std::move(curve);
  return j;
}

std::string toText(const PrequentialMetrics& m, const std::vector<std::string>& classNames) {
  const int classCount = static_cast<int>(m.perClass.size());
  checkNames(classNames, classCount);
  std::ostringstream out;
  out << "labels                 " << m.labels << " (" << m.evaluated << " with a prediction, "
      << m.withoutPrediction << " without)\n";
  out << padRight("accuracy, last " + std::to_string(m.window), 23) << fixed(m.windowAccuracy, 4);
  if (m.windowAccuracy) out << "  (of " << m.windowCount << " predictions)";
  out << '\n';
  out << "accuracy, cumulative   " << fixed(m.cumulativeAccuracy, 4) << '\n';

  const std::size_t labelWidth = labelColumnWidth(classCount, classNames);
  out << '\n'
      << padRight("class", labelWidth) << padLeft("labels", 10) << padLeft("accuracy", 10)
      << padLeft("in window", 11) << padLeft("accuracy", 10) << '\n';
  for (int k = 0; k < classCount; ++k) {
    const PrequentialClass& c = m.perClass[static_cast<std::size_t>(k)];
    out << padRight(classLabel(k, classNames), labelWidth)
        << padLeft(std::to_string(c.evaluated), 10) << padLeft(fixed(c.accuracy), 10)
        << padLeft(std::to_string(c.windowEvaluated), 11) << padLeft(fixed(c.windowAccuracy), 10)
        << '\n';
  }
  return out.str();
}

}  // namespace camlabel::learning
