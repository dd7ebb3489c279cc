// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where camlabel's private files (camlabel-cli-model, libcamlabel_codecs.so) lie relative to the
// running program: beside it (the build tree, or libexec itself), then in ../libexec/camlabel
// (an installed package, seen from bin).

#include <filesystem>
#include <string_view>
#include <vector>

namespace camlabel {

/// The places to look for `name`, in order; empty when the running program cannot be found.
std::vector<std::filesystem::path> programFileCandidates(std::string_view name);

}  // namespace camlabel
