// SPDX-License-Identifier: Apache-2.0
#include "cli_runner.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "test_support.h"

namespace camlabel::test {
namespace {

std::string shellQuoted(const std::string& arg) {
  std::string out(1, '\'');
  for (char c : arg) {
    if (c == '\'')
      out.append("'\\''");
    else
      out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

CliRun runCli(const std::vector<std::string>& args) {
  std::string errFile = (std::filesystem::temp_directory_path() / "camlabel-cli-XXXXXX").string();
  const int fd = mkstemp(errFile.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);

  std::string command = shellQuoted(CAMLABEL_CLI);
  for (const std::string& arg : args)
    command.append(" ").append(shellQuoted(arg));
  command.append(" 2>").append(shellQuoted(errFile));
  CliRun run;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
      run.out.append(buffer, n);
    const int status = pclose(pipe);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  run.err = readFile(errFile);
  std::filesystem::remove(errFile);
  run.output = run.out + run.err;
  return run;
}

}  // namespace camlabel::test
