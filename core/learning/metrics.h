// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace camlabel::learning {

/// Figures of one class in a classification evaluation. A figure whose denominator is zero is
/// empty (JSON null) rather than 0: sklearn reports 0 there, which reads as "always wrong".
struct ClassMetrics {
  int support = 0;                  ///< samples whose true class is this one
  int predicted = 0;                ///< samples predicted as this class
  int correct = 0;                  ///< samples of this class predicted as it
  std::optional<double> recall;     ///< correct / support
  std::optional<double> precision;  ///< correct / predicted
  /// One-vs-rest ROC AUC of this class's probability; empty when the truth has no sample of this
  /// class or only samples of it (the AUC is undefined without both positives and negatives).
  std::optional<double> auc;
};

/// Bins of the expected calibration error (15, as in Guo et al. and most reports since).
inline constexpr int kCalibrationBins = 15;

/// Evaluation of K classes on labelled samples (the `eval` command).
struct ClassificationMetrics {
  int classCount = 0;
  int samples = 0;
  int correct = 0;
  double accuracy = 0;  ///< correct / samples
  /// Mean of the defined per-class AUCs (sklearn's roc_auc_score(multi_class="ovr",
  /// average="macro") when every class occurs in the truth); empty when no class has one or when
  /// no probabilities were given.
  std::optional<double> macroAuc;
  std::vector<int> aucClasses;  ///< classes averaged into macroAuc, ascending
  /// Classes with no sample in the truth: no recall and no AUC, left out of macroAuc.
  std::vector<int> absentClasses;
  /// Cohen's kappa of truth against prediction; empty when chance agreement is 1 (truth and
  /// prediction are one and the same single class), where sklearn returns NaN.
  std::optional<double> kappa;
  /// Expected calibration error (Guo et al. 2017): the samples binned by the probability of
  /// their predicted class into kCalibrationBins equal-width bins over [0, 1], and
  /// sum over bins of (bin size / samples) x |accuracy in the bin - mean probability in the bin|.
  /// Empty when no probabilities were given.
  std::optional<double> ece;
  /// Mean probability of the predicted class (the confidence the model shows); empty as ece.
  std::optional<double> meanConfidence;
  std::vector<ClassMetrics> perClass;       ///< classCount entries
  std::vector<std::vector<int>> confusion;  ///< [truth][prediction], classCount x classCount
};

/// Evaluates predictions of classCount classes. truth[i] and predicted[i] are class indices of
/// sample i; probabilities[i] is its probability (or any score: only the order matters) for each
/// class, or probabilities is empty to skip the AUC. AUC ties count one half, as in sklearn.
/// Throws camlabel::Error on no samples, mismatched sizes, a class index outside
/// [0, classCount), a probability row not of classCount entries, or a value that is not finite.
ClassificationMetrics evaluateClassification(const std::vector<int>& truth,
                                             const std::vector<int>& predicted,
                                             const std::vector<std::vector<double>>& probabilities,
                                             int classCount);

/// JSON with snake_case keys: samples, classes, correct, accuracy, macro_auc, auc_classes,
/// absent_classes, kappa, per_class [{class, name, support, predicted, correct, recall,
/// precision, auc}], confusion (rows: truth). Undefined figures are null. classNames may be empty
/// (no "name" keys) or hold one name per class; throws camlabel::Error otherwise.
nlohmann::json toJson(const ClassificationMetrics& metrics,
                      const std::vector<std::string>& classNames = {});

/// The same as a table for people: summary lines, per-class table, confusion matrix. classNames
/// as for toJson (class indices are always shown).
std::string toText(const ClassificationMetrics& metrics,
                   const std::vector<std::string>& classNames = {});

/// One label in label order, with what the model predicted for that image when the label was
/// given (empty when no model prediction was shown).
struct PrequentialRecord {
  int truth = 0;
  std::optional<int> predicted;
};

inline constexpr int kDefaultPrequentialWindow = 50;

/// Accuracy of the window ending at one label, for plotting the learning curve.
struct PrequentialPoint {
  int label = 0;        ///< 1-based position of the label in label order
  int windowCount = 0;  ///< predictions in the window: min(window, predictions so far)
  double accuracy = 0;  ///< of those predictions
};

struct PrequentialClass {
  int evaluated = 0;  ///< labels of this true class that had a prediction
  int correct = 0;
  std::optional<double> accuracy;  ///< correct / evaluated (a per-class recall)
  int windowEvaluated = 0;         ///< the same restricted to the current window
  int windowCorrect = 0;
  std::optional<double> windowAccuracy;
};

/// Prequential ("test-then-train") accuracy: each prediction was made before its label was
/// trained on, so this is the online learner's honest accuracy on data it had not seen.
struct PrequentialMetrics {
  int window = kDefaultPrequentialWindow;  ///< W: the window holds the last W predictions
  int labels = 0;                          ///< all records
  int withoutPrediction = 0;               ///< records left out: no prediction was shown
  int evaluated = 0;                       ///< records with a prediction
  int correct = 0;
  std::optional<double> cumulativeAccuracy;  ///< correct / evaluated
  int windowCount = 0;                       ///< min(W, evaluated)
  std::optional<double> windowAccuracy;      ///< accuracy of the last windowCount predictions
  std::vector<PrequentialClass> perClass;    ///< by true class, classCount entries
  /// One point per label from the first label with a prediction on (a label without one repeats
  /// the window before it).
  std::vector<PrequentialPoint> curve;
};

/// Computes prequential accuracy over records in label order. Throws camlabel::Error on
/// classCount < 1, window < 1, or a class index outside [0, classCount).
PrequentialMetrics prequentialAccuracy(const std::vector<PrequentialRecord>& records,
                                       int classCount, int window = kDefaultPrequentialWindow);

/// JSON with snake_case keys: window, labels, without_prediction, evaluated, correct,
/// cumulative_accuracy, window_count, window_accuracy, per_class [{class, name, evaluated,
/// correct, accuracy, window_evaluated, window_correct, window_accuracy}], curve [[label,
/// window_count, accuracy], ...]. classNames as for the classification toJson.
nlohmann::json toJson(const PrequentialMetrics& metrics,
                      const std::vector<std::string>& classNames = {});

/// Summary lines and a per-class table for people (the curve is left to JSON).
std::string toText(const PrequentialMetrics& metrics,
                   const std::vector<std::string>& classNames = {});

}  // namespace camlabel::learning
