// SPDX-License-Identifier: Apache-2.0
#include "core/project/export.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/project/project.h"

namespace camlabel::project {
namespace {

template <typename T>
std::string optText(const std::optional<T>& value) {
  if (!value) return "";
  std::ostringstream out;
  out << *value;
  return out.str();
}

}  // namespace

std::size_t exportLabels(Project& project, const std::filesystem::path& out,
                         const std::string& language) {
  if (language != "en" && language != "ja")
    throw Error("the export language '" + language + "' is not available: use en or ja.");
  const std::string extension = out.extension().string();
  if (extension != ".csv" && extension != ".json")
    throw Error("cannot export labels to '" + out.string() +
                "': the name must end in .csv or .json.");
  const ClassScheme& scheme = project.settings().scheme;
  auto nameOf = [&](std::optional<int> index) -> std::string {
    if (!index || *index < 0 || *index >= static_cast<int>(scheme.classes.size())) return "";
    return scheme.className(*index, language);
  };

  std::size_t rows = 0;
  if (extension == ".csv") {
    std::string text =
        "path,sha256,status,label_index,label_name,annotator,time,model_version,"
        "predicted_index,predicted_name,probability\n";
    project.forEachCurrentLabel([&](const ImageRecord& image, const CurrentLabel& label) {
      const std::optional<int> index =
          label.skipped ? std::nullopt : std::optional<int>(label.classIndex);
      text += csv::field(displayName(image.relativePath)) + ',' + image.sha256 + ',' +
              (label.skipped ? "skipped" : "labelled") + ',' + optText(index) + ',' +
              csv::field(nameOf(index)) + ',' + csv::field(displayName(label.annotator)) + ',' +
              label.time + ',' + optText(label.context.modelVersion) + ',' +
              optText(label.context.predictedClass) + ',' +
              csv::field(nameOf(label.context.predictedClass)) + ',' +
              optText(label.context.probability) + '\n';
      ++rows;
    });
    writeFileAtomically(out, text);
    return rows;
  }

  nlohmann::json labels = nlohmann::json::array();
  project.forEachCurrentLabel([&](const ImageRecord& image, const CurrentLabel& label) {
    nlohmann::json row = {{"path", displayName(image.relativePath)},
                          {"sha256", image.sha256},
                          {"status", label.skipped ? "skipped" : "labelled"},
                          {"annotator", displayName(label.annotator)},
                          {"time", label.time}};
    row["label_index"] = label.skipped ? nlohmann::json() : nlohmann::json(label.classIndex);
    row["label_name"] = label.skipped ? nlohmann::json() : nlohmann::json(nameOf(label.classIndex));
    row["model_version"] =
        label.context.modelVersion ? nlohmann::json(*label.context.modelVersion) : nlohmann::json();
    row["predicted_index"] = label.context.predictedClass
                                 ? nlohmann::json(*label.context.predictedClass)
                                 : nlohmann::json();
    row["predicted_name"] = label.context.predictedClass
                                ? nlohmann::json(nameOf(label.context.predictedClass))
                                : nlohmann::json();
    row["probability"] =
        label.context.probability ? nlohmann::json(*label.context.probability) : nlohmann::json();
    labels.push_back(std::move(row));
    ++rows;
  });
  const nlohmann::json document = {
      {"scheme", scheme.name}, {"language", language}, {"labels", std::move(labels)}};
  writeFileAtomically(out, document.dump(2) + "\n");
  return rows;
}

std::optional<ImageRecord> findImageByName(Project& project, const std::string& name) {
  if (auto image = project.findImage(name)) return image;
  if (const auto raw = rawName(name)) return project.findImage(*raw);
  return std::nullopt;
}

}  // namespace camlabel::project
