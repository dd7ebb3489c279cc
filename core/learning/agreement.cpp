// SPDX-License-Identifier: Apache-2.0
#include "core/learning/agreement.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/common/file_names.h"

namespace camlabel::learning {
namespace {

using Table = std::vector<std::vector<int>>;

/// Cohen's kappa of a K x K table of two readers' classes; empty when chance agreement is 1.
std::optional<double> cohenKappa(const Table& table) {
  const std::size_t k = table.size();
  double n = 0, agree = 0;
  std::vector<double> rows(k, 0), columns(k, 0);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) {
      const double count = table[a][b];
      n += count;
      rows[a] += count;
      columns[b] += count;
      if (a == b) agree += count;
    }
  if (n == 0) return std::nullopt;
  double chance = 0;
  for (std::size_t c = 0; c < k; ++c)
    chance += rows[c] * columns[c];
  chance /= n * n;
  if (chance >= 1.0 - 1e-12) return std::nullopt;
  return (agree / n - chance) / (1.0 - chance);
}

/// Cohen's kappa of "class c or not".
std::optional<double> oneAgainstRest(const Table& table, std::size_t c) {
  double both = 0, onlyA = 0, onlyB = 0, neither = 0;
  for (std::size_t a = 0; a < table.size(); ++a)
    for (std::size_t b = 0; b < table.size(); ++b) {
      const double count = table[a][b];
      if (a == c && b == c)
        both += count;
      else if (a == c)
        onlyA += count;
      else if (b == c)
        onlyB += count;
      else
        neither += count;
    }
  return cohenKappa({{static_cast<int>(both), static_cast<int>(onlyA)},
                     {static_cast<int>(onlyB), static_cast<int>(neither)}});
}

Table pairTable(const std::vector<std::pair<int, int>>& classes,
                const std::vector<std::size_t>& rows, int classCount) {
  Table table(static_cast<std::size_t>(classCount),
              std::vector<int>(static_cast<std::size_t>(classCount), 0));
  for (const std::size_t r : rows)
    ++table[static_cast<std::size_t>(classes[r].first)]
           [static_cast<std::size_t>(classes[r].second)];
  return table;
}

/// Fleiss' kappa from per-slice counts of each class (every row summing to the same n >= 2):
/// P-bar, kappa, and kappa_j per class.
struct FleissFigures {
  double observed = 0;
  std::optional<double> kappa;
  std::vector<std::optional<double>> perClass;
};

FleissFigures fleiss(const Table& counts, const std::vector<std::size_t>& rows, int raters,
                     int classCount) {
  FleissFigures f;
  const auto k = static_cast<std::size_t>(classCount);
  const double n = raters;
  const auto slices = static_cast<double>(rows.size());
  std::vector<double> totals(k, 0), disagreement(k, 0);
  double sumP = 0;
  for (const std::size_t r : rows) {
    double squares = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double c = counts[r][j];
      squares += c * c;
      totals[j] += c;
      disagreement[j] += c * (n - c);
    }
    sumP += (squares - n) / (n * (n - 1));
  }
  f.observed = sumP / slices;
  double chance = 0;
  f.perClass.assign(k, std::nullopt);
  for (std::size_t j = 0; j < k; ++j) {
    const double p = totals[j] / (slices * n);
    chance += p * p;
    if (p > 0 && p < 1)
      f.perClass[j] = 1.0 - disagreement[j] / (slices * n * (n - 1) * p * (1 - p));
  }
  if (chance < 1.0 - 1e-12) f.kappa = (f.observed - chance) / (1.0 - chance);
  return f;
}

/// Linear interpolation between order statistics (numpy's default percentile).
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

/// Percentile bootstrap: `statistic` of `count` rows drawn with replacement, `resamples` times.
template <typename Statistic>
void bootstrap(KappaEstimate& estimate, std::size_t count, const AgreementOptions& options,
               std::uint64_t stream, Statistic statistic) {
  if (count < 2 || !estimate.kappa) return;
  std::mt19937_64 random(options.seed * 0x9E3779B97F4A7C15ULL + stream);
  std::uniform_int_distribution<std::size_t> pick(0, count - 1);
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(options.resamples));
  std::vector<std::size_t> rows(count);
  for (int b = 0; b < options.resamples; ++b) {
    for (auto& r : rows)
      r = pick(random);
    // A resample where every reading is one class has no kappa; it says the agreement is
    // uninformative there, and is left out (as boot's percentile interval leaves out NaN).
    if (const auto value = statistic(rows)) values.push_back(*value);
  }
  if (values.empty()) return;
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  estimate.low = quantile(values, tail);
  estimate.high = quantile(values, 1.0 - tail);
}

std::vector<std::size_t> allRows(std::size_t count) {
  std::vector<std::size_t> rows(count);
  for (std::size_t i = 0; i < count; ++i)
    rows[i] = i;
  return rows;
}

std::string className(const std::vector<std::string>& names, std::size_t c) {
  return c < names.size() ? names[c] : std::to_string(c);
}

void checkNames(const std::vector<std::string>& names, int classCount) {
  if (!names.empty() && names.size() != static_cast<std::size_t>(classCount))
    throw Error("agreement: " + std::to_string(names.size()) + " class names for " +
                std::to_string(classCount) + " classes");
}

nlohmann::json orNull(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string fixed(const std::optional<double>& value, int digits = 3) {
  if (!value) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << *value;
  return out.str();
}

std::string number(const std::optional<double>& value) {
  if (!value) return "";
  std::ostringstream out;
  out << std::setprecision(6) << *value;
  return out.str();
}

}  // namespace

AgreementReport measureAgreement(const std::vector<Rating>& ratings, int classCount,
                                 const AgreementOptions& options) {
  if (classCount < 2) throw Error("agreement needs 2 classes at least");
  if (!(options.confidence > 0 && options.confidence < 1) || options.resamples < 1)
    throw Error("agreement: the confidence must lie in (0, 1) and resamples be 1 at least");
  // item -> reader -> class
  std::map<std::int64_t, std::map<std::string, int>> byItem;
  std::map<std::string, int> readCount;
  for (const Rating& r : ratings) {
    if (r.classIndex < 0 || r.classIndex >= classCount)
      throw Error("agreement: class " + std::to_string(r.classIndex) + " is not one of the " +
                  std::to_string(classCount) + " classes");
    if (!byItem[r.item].emplace(r.reader, r.classIndex).second)
      throw Error("agreement: slice " + std::to_string(r.item) + " has two labels of one reader");
    ++readCount[r.reader];
  }
  AgreementReport report;
  report.classCount = classCount;
  report.confidence = options.confidence;
  report.resamples = options.resamples;
  std::vector<std::string> readers;
  for (const auto& [reader, count] : readCount) {
    report.readers.push_back({reader, count});
    readers.push_back(reader);
  }
  for (const auto& [item, byReader] : byItem)
    if (byReader.size() >= 2) ++report.sharedSlices;

  std::uint64_t stream = 0;
  for (std::size_t a = 0; a < readers.size(); ++a)
    for (std::size_t b = a + 1; b < readers.size(); ++b) {
      std::vector<std::pair<int, int>> classes;
      for (const auto& [item, byReader] : byItem) {
        const auto ia = byReader.find(readers[a]);
        const auto ib = byReader.find(readers[b]);
        if (ia != byReader.end() && ib != byReader.end())
          classes.emplace_back(ia->second, ib->second);
      }
      PairAgreement pair;
      pair.readerA = readers[a];
      pair.readerB = readers[b];
      pair.slices = static_cast<int>(classes.size());
      pair.confusion = pairTable(classes, allRows(classes.size()), classCount);
      int same = 0;
      for (const auto& [x, y] : classes)
        same += x == y ? 1 : 0;
      pair.observed = classes.empty() ? 0.0 : static_cast<double>(same) / pair.slices;
      pair.kappa.kappa = cohenKappa(pair.confusion);
      for (std::size_t c = 0; c < static_cast<std::size_t>(classCount); ++c)
        pair.perClass.push_back(oneAgainstRest(pair.confusion, c));
      bootstrap(pair.kappa, classes.size(), options, ++stream,
                [&](const std::vector<std::size_t>& rows) {
                  return cohenKappa(pairTable(classes, rows, classCount));
                });
      report.pairs.push_back(std::move(pair));
    }

  if (readers.size() >= 2) {
    Table counts;
    for (const auto& [item, byReader] : byItem) {
      if (byReader.size() != readers.size()) continue;
      std::vector<int> row(static_cast<std::size_t>(classCount), 0);
      for (const auto& [reader, c] : byReader)
        ++row[static_cast<std::size_t>(c)];
      counts.push_back(std::move(row));
    }
    if (!counts.empty()) {
      const int n = static_cast<int>(readers.size());
      const FleissFigures f = fleiss(counts, allRows(counts.size()), n, classCount);
      GroupAgreement all;
      all.readers = n;
      all.slices = static_cast<int>(counts.size());
      all.observed = f.observed;
      all.kappa.kappa = f.kappa;
      all.perClass = f.perClass;
      bootstrap(all.kappa, counts.size(), options, ++stream,
                [&](const std::vector<std::size_t>& rows) {
                  return fleiss(counts, rows, n, classCount).kappa;
                });
      report.all = std::move(all);
    }
  }
  return report;
}

nlohmann::json toJson(const AgreementReport& report, const std::vector<std::string>& classNames) {
  checkNames(classNames, report.classCount);
  auto perClass = [&](const std::vector<std::optional<double>>& kappas) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t c = 0; c < kappas.size(); ++c) {
      nlohmann::json entry{{"class", c}, {"kappa", orNull(kappas[c])}};
      if (!classNames.empty()) entry["name"] = classNames[c];
      list.push_back(std::move(entry));
    }
    return list;
  };
  nlohmann::json readers = nlohmann::json::array();
  for (const auto& r : report.readers)
    readers.push_back({{"reader", displayName(r.reader)}, {"slices", r.slices}});
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& p : report.pairs)
    pairs.push_back({{"reader_a", displayName(p.readerA)},
                     {"reader_b", displayName(p.readerB)},
                     {"slices", p.slices},
                     {"observed", p.observed},
                     {"kappa", orNull(p.kappa.kappa)},
                     {"ci_low", orNull(p.kappa.low)},
                     {"ci_high", orNull(p.kappa.high)},
                     {"per_class", perClass(p.perClass)},
                     {"confusion", p.confusion}});
  nlohmann::json all = nullptr;
  if (report.all)
    all = {{"readers", report.all->readers},
           {"slices", report.all->slices},
           {"observed", report.all->observed},
           {"kappa", orNull(report.all->kappa.kappa)},
           {"ci_low", orNull(report.all->kappa.low)},
           {"ci_high", orNull(report.all->kappa.high)},
           {"per_class", perClass(report.all->perClass)}};
  return {{"classes", report.classCount},
          {"readers", readers},
          {"shared_slices", report.sharedSlices},
          {"pairs", pairs},
          {"all", all},
          {"confidence", report.confidence},
          {"resamples", report.resamples}};
}

std::string toText(const AgreementReport& report, const std::vector<std::string>& classNames) {
  checkNames(classNames, report.classCount);
  std::ostringstream out;
  out << report.readers.size() << " reader" << (report.readers.size() == 1 ? "" : "s") << ":";
  for (const auto& r : report.readers)
    out << ' ' << displayName(r.reader) << " (" << r.slices << " slices)";
  out << "\nslices labelled by two readers or more: " << report.sharedSlices << '\n';
  if (report.pairs.empty()) {
    out << "agreement needs the labels of two readers at least\n";
    return out.str();
  }
  const int percent = static_cast<int>(std::lround(report.confidence * 100));
  auto interval = [&](const KappaEstimate& k) {
    if (!k.low) return std::string();
    return " (" + std::to_string(percent) + "% CI " + fixed(k.low) + " to " + fixed(k.high) + ")";
  };
  for (const auto& p : report.pairs) {
    out << "Cohen's kappa " << displayName(p.readerA) << " / " << displayName(p.readerB) << ": "
        << fixed(p.kappa.kappa) << interval(p.kappa) << " on " << p.slices
        << " slices, same class on " << fixed(p.observed * 100, 1) << "%\n";
  }
  if (report.all) {
    out << "Fleiss' kappa, all " << report.all->readers
        << " readers: " << fixed(report.all->kappa.kappa) << interval(report.all->kappa) << " on "
        << report.all->slices << " slices read by all\n";
  }
  out << "\nper class (one against the rest)";
  for (const auto& p : report.pairs)
    out << " | " << displayName(p.readerA) << " / " << displayName(p.readerB);
  if (report.all) out << " | all (Fleiss)";
  out << '\n';
  for (std::size_t c = 0; c < static_cast<std::size_t>(report.classCount); ++c) {
    out << "  " << c << ' ' << className(classNames, c);
    for (const auto& p : report.pairs)
      out << " | " << fixed(p.perClass[c]);
    if (report.all) out << " | " << fixed(report.all->perClass[c]);
    out << '\n';
  }
  for (const auto& p : report.pairs) {
    out << "\nslices by class: rows " << displayName(p.readerA) << ", columns "
        << displayName(p.readerB) << '\n'
        << std::setw(4) << "";
    for (std::size_t b = 0; b < p.confusion.size(); ++b)
      out << std::setw(5) << b;
    out << '\n';
    for (std::size_t a = 0; a < p.confusion.size(); ++a) {
      out << std::setw(4) << a;
      for (const int count : p.confusion[a])
        out << std::setw(5) << count;
      out << "  " << className(classNames, a) << '\n';
    }
  }
  return out.str();
}

void writeAgreementCsv(const AgreementReport& report, const std::vector<std::string>& classNames,
                       const std::filesystem::path& out) {
  checkNames(classNames, report.classCount);
  std::string text = "scope,reader_a,reader_b,class,slices,observed,kappa,ci_low,ci_high\n";
  auto row = [&](const std::string& scope, const std::string& a, const std::string& b,
                 const std::string& cls, int slices, const std::optional<double>& observed,
                 const std::optional<double>& kappa, const std::optional<double>& low,
                 const std::optional<double>& high) {
    text.append(scope).append(",").append(csv::field(displayName(a))).append(",");
    text.append(csv::field(displayName(b)));
    text.append(",").append(csv::field(cls)).append(",").append(std::to_string(slices));
    for (const auto* value : {&observed, &kappa, &low, &high})
      text.append(",").append(number(*value));
    text.append("\n");
  };
  for (const auto& p : report.pairs) {
    row("pair", p.readerA, p.readerB, "", p.slices, p.observed, p.kappa.kappa, p.kappa.low,
        p.kappa.high);
    for (std::size_t c = 0; c < p.perClass.size(); ++c)
      row("pair", p.readerA, p.readerB, className(classNames, c), p.slices, std::nullopt,
          p.perClass[c], std::nullopt, std::nullopt);
  }
  if (report.all) {
    const auto& a = *report.all;
    row("all", "", "", "", a.slices, a.observed, a.kappa.kappa, a.kappa.low, a.kappa.high);
    for (std::size_t c = 0; c < a.perClass.size(); ++c)
      row("all", "", "", className(classNames, c), a.slices, std::nullopt, a.perClass[c],
          std::nullopt, std::nullopt);
  }
  writeFileAtomically(out, text);
}

}  // namespace camlabel::learning
