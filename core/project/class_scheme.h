// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace camlabel::project {

struct ClassName {
  std::string en;
  std::string ja;
};

/// The classes a clinician chooses from; class i is pressed with key i.
struct ClassScheme {
  std::string name;
  std::vector<ClassName> classes;  ///< 2 to 10 entries

  /// Name of class index in "en" or "ja". Throws camlabel::Error for an unknown language or an
  /// index outside the scheme.
  const std::string& className(int index, const std::string& language) const;
  /// Throws camlabel::Error ("class 12 is not in the scheme 'pattern' (0 to 9).") unless index
  /// is one of the scheme's classes.
  void checkClass(int index) const;
  /// Every class's English name, by index: what the model and its checkpoints call them.
  std::vector<std::string> englishNames() const;
};

inline constexpr int kMinClasses = 2;
inline constexpr int kMaxClasses = 10;
/// The longest scheme name a scheme file may give (it becomes part of file names).
inline constexpr std::size_t kMaxSchemeNameBytes = 100;

/// "pattern" (ILD patterns) or "features" (CT findings). Throws camlabel::Error otherwise.
ClassScheme builtinScheme(const std::string& name);

/// A scheme from JSON {"name": ..., "classes": [{"en": ..., "ja": ...}, ...]}. source names the
/// file in errors. Throws camlabel::InputError for a wrong class count, a missing, empty or
/// duplicate name, or a wrong type.
ClassScheme schemeFromJson(const nlohmann::json& json, const std::string& source);

/// Reads and validates a custom scheme file. Throws camlabel::InputError (also for non-JSON).
ClassScheme loadSchemeFile(const std::filesystem::path& path);

/// A built-in name, or else a path to a JSON file.
ClassScheme resolveScheme(const std::string& nameOrFile);

nlohmann::json schemeToJson(const ClassScheme& scheme);

}  // namespace camlabel::project
