// SPDX-License-Identifier: Apache-2.0
#pragma once

// Agreement between readers (issue 15): how far the labels of two or more readers of the same
// slices agree beyond chance. Plain arithmetic on class indices: no Torch, no database.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace camlabel::learning {

/// One reader's class for one slice.
struct Rating {
  std::int64_t item = 0;  ///< the slice (an image id)
  std::string reader;
  int classIndex = 0;
};

/// A kappa with its confidence interval (percentile bootstrap over the slices). Each figure is
/// empty where it is undefined: kappa when chance agreement is 1 (every reading one and the same
/// class), the interval when fewer than two slices are shared.
struct KappaEstimate {
  std::optional<double> kappa;
  std::optional<double> low;
  std::optional<double> high;
};

/// Cohen's kappa of two readers over the slices both have read.
struct PairAgreement {
  std::string readerA;
  std::string readerB;
  int slices = 0;       ///< read by both
  double observed = 0;  ///< share of those slices on which they gave the same class
  KappaEstimate kappa;
  /// Per class: Cohen's kappa of "this class or not" (one against the rest); empty where the
  /// class leaves nothing to agree on (neither reader used it, or both used it for every slice).
  std::vector<std::optional<double>> perClass;
  std::vector<std::vector<int>> confusion;  ///< [class by A][class by B]
};

/// Fleiss' kappa (1971) over the slices read by every reader.
struct GroupAgreement {
  int readers = 0;
  int slices = 0;       ///< read by all of them
  double observed = 0;  ///< Fleiss' P-bar: mean share of agreeing reader pairs per slice
  KappaEstimate kappa;
  std::vector<std::optional<double>> perClass;  ///< Fleiss' kappa_j; empty where p_j is 0 or 1
};

struct ReaderSummary {
  std::string reader;
  int slices = 0;  ///< slices this reader has labelled
};

struct AgreementReport {
  int classCount = 0;
  std::vector<ReaderSummary> readers;  ///< by name
  int sharedSlices = 0;                ///< slices with labels of two readers or more
  std::vector<PairAgreement> pairs;    ///< every pair of readers, A before B by name
  std::optional<GroupAgreement> all;   ///< with two readers or more and a slice read by all
  double confidence = 0.95;
  int resamples = 0;
};

struct AgreementOptions {
  double confidence = 0.95;  ///< of the intervals
  int resamples = 1000;      ///< bootstrap resamples of the slices
  std::uint64_t seed = 1;    ///< the same ratings give the same intervals
};

/// Agreement of every pair of readers and of all readers together. A reader's rating of a slice
/// appears once (the caller passes each reader's current label). Throws camlabel::Error for a
/// class index outside [0, classCount), fewer than 2 classes, a repeated (slice, reader), a
/// confidence outside (0, 1) or fewer than 1 resample.
AgreementReport measureAgreement(const std::vector<Rating>& ratings, int classCount,
                                 const AgreementOptions& options = {});

/// JSON with snake_case keys (readers, shared_slices, pairs [{reader_a, reader_b, slices,
/// observed, kappa, ci_low, ci_high, per_class [{class, name, kappa}], confusion}], all {...},
/// confidence, resamples). Undefined figures are null. classNames: empty or one per class.
nlohmann::json toJson(const AgreementReport& report,
                      const std::vector<std::string>& classNames = {});

/// The same for people: one line per pair and for all readers, then per-class kappas.
std::string toText(const AgreementReport& report, const std::vector<std::string>& classNames = {});

/// One CSV row per figure: scope (pair or all), reader_a, reader_b, class (empty: overall),
/// slices, observed, kappa, ci_low, ci_high; reader names written so that no spreadsheet runs
/// them as formulas. Written atomically; throws camlabel::Error when writing fails.
void writeAgreementCsv(const AgreementReport& report, const std::vector<std::string>& classNames,
                       const std::filesystem::path& out);

}  // namespace camlabel::learning
