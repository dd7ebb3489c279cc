// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which slice to label next: file order, random, or the one the model would learn most from
// (active learning). The choice itself is plain arithmetic on probabilities and embeddings, so it
// is Torch-free and tested with hand-made numbers; core/session computes those numbers from the
// live model and its cached trunk features.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camlabel::learning {

enum class LabellingOrder {
  kFile,       ///< natural order of the images' paths
  kRandom,     ///< a seeded random unlabelled slice
  kUncertain,  ///< the model's choice: least certain, unlike what is labelled
  kSpread,     ///< evenly spaced slices of each series first (chooseSpread)
};

/// "file", "random", "uncertain", "spread"; std::nullopt for anything else.
std::optional<LabellingOrder> parseLabellingOrder(std::string_view name);
std::string_view labellingOrderName(LabellingOrder order);

/// A slice as chooseSpread sees it: its series and whether it may be chosen.
struct SeriesSlice {
  std::int64_t imageId = 0;
  std::string series;     ///< slices of one series share it; "" for images without a series
  bool decided = false;   ///< labelled or skipped
  bool eligible = false;  ///< may be chosen (undecided, among those asked about)
};

/// The slice that spreads the labels over each series: slices are taken in the project's order
/// (each series in order along it, head to foot); in each series the eligible slice farthest (in
/// slices) from every decided slice of its series is a candidate (for a series with none decided,
/// its middle one, at a distance of the series' length), and the candidate farthest of all wins;
/// ties go to the earlier series, then the earlier slice. So a series gets its middle slice, then
/// its ends, then the quarter points, and so on, and no series waits long. std::nullopt when no
/// slice is eligible.
std::optional<std::int64_t> chooseSpread(const std::vector<SeriesSlice>& slices);

/// An unlabelled slice as the current model sees it.
struct ScoredImage {
  std::int64_t imageId = 0;
  std::vector<float> probabilities;  ///< softmax over the scheme's classes
  std::vector<float> embedding;      ///< the trunk's pooled features, L2-normalised
};

struct ActiveLearningOptions {
  /// The most uncertain slices (smallest margin) among which diversity decides.
  int shortlist = 16;
};

enum class ChoiceReason {
  kUncertain,  ///< the model is unsure between its two most probable classes
  kUnlike,     ///< cold start: the model has not learned yet; the slice least like those labelled
};

struct InformativeChoice {
  std::int64_t imageId = 0;
  ChoiceReason reason = ChoiceReason::kUncertain;
  int first = 0;   ///< the most probable class
  int second = 0;  ///< the second most probable class
  double firstProbability = 0;
  double secondProbability = 0;
  double margin = 0;  ///< firstProbability - secondProbability
  /// Cosine distance (1 - similarity) to the nearest labelled embedding; 1 when none is known.
  double distanceToLabelled = 1;
};

/// v scaled to unit length (as ScoredImage::embedding wants it); all zeros stays all zeros.
std::vector<float> normalised(std::vector<float> v);

/// Why the slice was chosen, in English for the CLI and logs: "unsure between UIP/P (41%) and
/// NSIP/P (39%)", or "the least like the slices labelled so far (no model yet)". classNames: the
/// scheme's, by index.
std::string describeChoice(const InformativeChoice& choice,
                           const std::vector<std::string>& classNames);

/// Picks the next slice to label among candidates (at least one; every probability vector of
/// the same length >= 2, every embedding of the same length).
/// - With a model that has learned (modelLearned): margin sampling with diversity. The
///   shortlist of the least certain (smallest margin between the two most probable classes) is
///   ranked by (1 - margin) x (distance to the nearest labelled embedding / the shortlist's
///   largest such distance), so a near-duplicate of a slice already labelled gives way to the
///   next uncertain one, and among equally novel slices the least certain wins.
/// - Cold start (no model yet): farthest-first traversal, the slice least like every labelled
///   one; with none labelled, the one nearest the candidates' mean (the most typical).
/// Ties go to the candidate given first. Throws camlabel::Error for empty or mismatched input.
InformativeChoice chooseInformative(const std::vector<ScoredImage>& candidates,
                                    const std::vector<std::vector<float>>& labelledEmbeddings,
                                    bool modelLearned, const ActiveLearningOptions& options = {});

}  // namespace camlabel::learning
