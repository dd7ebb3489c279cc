// SPDX-License-Identifier: Apache-2.0
#include "core/project/class_scheme.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace camlabel::project {

void ClassScheme::checkClass(int index) const {
  if (index < 0 || index >= static_cast<int>(classes.size()))
    throw Error("class " + std::to_string(index) + " is not in the scheme '" + name + "' (0 to " +
                std::to_string(classes.size() - 1) + ").");
}

const std::string& ClassScheme::className(int index, const std::string& language) const {
  if (index < 0 || index >= static_cast<int>(classes.size()))
    throw Error("class " + std::to_string(index) + " is not in the scheme '" + name + "'.");
  if (language == "en") return classes[static_cast<std::size_t>(index)].en;
  if (language == "ja") return classes[static_cast<std::size_t>(index)].ja;
  throw Error("language '" + language + "' is not available: use en or ja.");
}

std::vector<std::string> ClassScheme::englishNames() const {
  std::vector<std::string> names;
  names.reserve(classes.size());
  for (const ClassName& c : classes)
    names.push_back(c.en);
  return names;
}

ClassScheme builtinScheme(const std::string& name) {
  if (name == "pattern")
    return {"pattern",
            {{"Normal", "正常"},
             {"UIP/P", "通常型間質性肺炎パターン (UIP/P)"},
             {"NSIP/P", "非特異性間質性肺炎パターン (NSIP/P)"},
             {"BIP", "細気管支周囲間質性肺炎 (BIP)"},
             {"COP", "特発性器質化肺炎 (COP)"},
             {"RBILD", "呼吸細気管支炎を伴う間質性肺疾患 (RB-ILD)"},
             {"MIP/DIP", "剥離性間質性肺炎 (MIP/DIP)"},
             {"PPFE", "胸膜肺実質線維弾性症 (PPFE)"},
             {"AIP", "急性間質性肺炎 (AIP)"},
             {"Unclassifiable", "分類不能"}}};
  if (name == "features")
    return {"features",
            {{"Normal", "正常"},
             {"ground-glass opacity", "すりガラス影"},
             {"consolidation", "浸潤影（コンソリデーション）"},
             {"reticulation", "網状影"},
             {"honeycombing", "蜂巣肺"},
             {"traction bronchiectasis", "牽引性気管支拡張"},
             {"nodules", "結節影"},
             {"emphysema", "肺気腫"},
             {"cysts", "嚢胞"},
             {"other", "その他"}}};
  throw Error("there is no built-in class scheme named '" + name +
              "': use pattern, features or a JSON file.");
}

ClassScheme schemeFromJson(const nlohmann::json& json, const std::string& source) {
  auto bad = [&](const std::string& reason) { return InputError(source, reason); };
  if (!json.is_object()) throw bad("a class scheme must be a JSON object");
  if (!json.contains("name") || !json["name"].is_string() ||
      json["name"].get<std::string>().empty())
    throw bad("the scheme needs a non-empty string \"name\"");
  {
    // The name is shown, stored and part of the model files' names (made safe there too).
    const std::string name = json["name"].get<std::string>();
    if (name.size() > kMaxSchemeNameBytes)
      throw bad("the scheme's name is longer than " + std::to_string(kMaxSchemeNameBytes) +
                " bytes");
    if (std::any_of(name.begin(), name.end(), [](char c) {
          const auto u = static_cast<unsigned char>(c);
          return c == '/' || c == '\\' || u < 0x20 || u == 0x7F;
        }))
      throw bad("the scheme's name may not hold '/', '\\' or control characters");
  }
  if (!json.contains("classes") || !json["classes"].is_array())
    throw bad("the scheme needs an array \"classes\"");
  const auto& classes = json["classes"];
  if (classes.size() < kMinClasses || classes.size() > kMaxClasses)
    throw bad("a scheme has 2 to 10 classes, this one has " + std::to_string(classes.size()));
  ClassScheme scheme{json["name"].get<std::string>(), {}};
  std::set<std::string> seenEn, seenJa;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const auto& c = classes[i];
    const std::string where = "class " + std::to_string(i);
    if (!c.is_object()) throw bad(where + " must be an object with \"en\" and \"ja\"");
    ClassName names;
    for (const char* lang : {"en", "ja"}) {
      if (!c.contains(lang) || !c[lang].is_string())
        throw bad(where + " needs a string \"" + lang + "\" name");
      const std::string value = c[lang].get<std::string>();
      if (value.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad(where + " has an empty \"" + lang + "\" name");
      (std::string(lang) == "en" ? names.en : names.ja) = value;
    }
    if (!seenEn.insert(names.en).second)
      throw bad("the English name '" + names.en + "' is used by two classes");
    if (!seenJa.insert(names.ja).second)
      throw bad("the Japanese name '" + names.ja + "' is used by two classes");
    scheme.classes.push_back(std::move(names));
  }
  return scheme;
}

ClassScheme loadSchemeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "the class scheme file cannot be opened");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded()) throw InputError(path.string(), "the class scheme is not valid JSON");
  return schemeFromJson(json, path.string());
}

ClassScheme resolveScheme(const std::string& nameOrFile) {
  if (nameOrFile == "pattern" || nameOrFile == "features") return builtinScheme(nameOrFile);
  if (std::filesystem::path(nameOrFile).extension() == ".json") return loadSchemeFile(nameOrFile);
  return builtinScheme(nameOrFile);
}

nlohmann::json schemeToJson(const ClassScheme& scheme) {
  nlohmann::json classes = nlohmann::json::array();
  for (const auto& c : scheme.classes)
    classes.push_back({{"en", c.en}, {"ja", c.ja}});
  return {{"name", scheme.name}, {"classes", classes}};
}

}  // namespace camlabel::project
