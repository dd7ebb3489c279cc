// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace camlabel::test {

/// One run of the real camlabel-cli, as a user's shell would start it.
struct CliRun {
  int exitCode = -1;   ///< -1 when it did not exit normally
  std::string out;     ///< stdout alone (--json must print nothing else there)
  std::string err;     ///< stderr alone
  std::string output;  ///< stdout then stderr, for checks that do not care which
};

CliRun runCli(const std::vector<std::string>& args);

}  // namespace camlabel::test
