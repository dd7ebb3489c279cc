// SPDX-License-Identifier: Apache-2.0
#include "core/common/program_files.h"

#include <system_error>

namespace camlabel {

std::vector<std::filesystem::path> programFileCandidates(std::string_view name) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path here = self.parent_path();
  return {here / name, here / CAMLABEL_LIBEXEC_FROM_BIN / name};
}

}  // namespace camlabel
