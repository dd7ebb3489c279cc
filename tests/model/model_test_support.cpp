// SPDX-License-Identifier: Apache-2.0
#include "model_test_support.h"

#include <ATen/ops/empty.h>
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "test_support.h"

namespace camlabel::test {

std::filesystem::path modelData(const std::string& name) {
  return dataDir() / "model" / name;
}

const nlohmann::json& tinyReference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(modelData("tiny_reference.json"));
    if (!in) throw std::runtime_error("missing tiny_reference.json");
    return nlohmann::json::parse(in);
  }();
  return reference;
}

model::ResNetConfig tinyConfig() {
  const auto& ref = tinyReference();
  model::ResNetConfig config;
  for (int k = 0; k < 4; ++k)
    config.blocks[k] = ref["blocks"][k].get<int>();
  config.width = ref["width"].get<int>();
  config.numClasses = ref["num_classes"].get<int>();
  return config;
}

at::Tensor tinyInput() {
  const auto& ref = tinyReference();
  const auto shape = ref["input_shape"].get<std::vector<std::int64_t>>();
  at::Tensor input = at::empty(shape, at::kFloat);
  const std::string bytes = readFile(modelData(ref["input_file"].get<std::string>()));
  if (bytes.size() != static_cast<std::size_t>(input.numel()) * sizeof(float)) {
    throw std::runtime_error("tiny_input.bin has the wrong size");
  }
  std::memcpy(input.data_ptr<float>(), bytes.data(), bytes.size());
  return input;
}

void writeTorchZip(const std::filesystem::path& path, const std::string& pickle,
                   const std::vector<std::pair<std::string, std::string>>& storages) {
  caffe2::serialize::PyTorchStreamWriter writer(path.string());
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  for (const auto& [key, bytes] : storages) {
    writer.writeRecord("data/" + key, bytes.data(), bytes.size());
  }
  writer.writeEndOfFile();
}

std::string le32(std::int32_t v) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &v, 4);
  return s;
}

std::string unicode(const std::string& s) {
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "X" + std::string.
  std::string out = "X";
  out += le32(static_cast<std::int32_t>(s.size()));
  out += s;
  return out;
}

}  // namespace camlabel::test
