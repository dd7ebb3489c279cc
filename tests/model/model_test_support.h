// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/model/resnet.h"

namespace camlabel::test {

/// tests/data/model/<name>.
std::filesystem::path modelData(const std::string& name);

/// tiny_reference.json, written by tests/reference/resnet_reference.py.
const nlohmann::json& tinyReference();

/// The configuration of the small torchvision-named network in the fixtures.
model::ResNetConfig tinyConfig();

/// The seeded input the reference logits were computed from, (1, 3, 64, 64) float32.
at::Tensor tinyInput();

/// Pickle bytes for crafting files: a little-endian int32, and a BINUNICODE opcode with its text.
std::string le32(std::int32_t v);
std::string unicode(const std::string& s);

/// Writes a zip archive the way torch.save lays it out (<archive>/data.pkl, <archive>/data/<key>,
/// <archive>/version), with the given pickle and storage records.
void writeTorchZip(const std::filesystem::path& path, const std::string& pickle,
                   const std::vector<std::pair<std::string, std::string>>& storages);

}  // namespace camlabel::test
