// SPDX-License-Identifier: Apache-2.0
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::TempDir;

std::size_t fileCount(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

TEST(AtomicFile, ReplacesContentWholly) {
  TempDir dir;
  writeFileAtomically(dir / "a.txt", "first version");
  writeFileAtomically(dir / "a.txt", "second");
  EXPECT_EQ(readFile(dir / "a.txt"), "second");
  EXPECT_EQ(fileCount(dir.path()), 1U) << "no temporary file left behind";
}

TEST(AtomicFile, MissingFolderIsAClearError) {
  TempDir dir;
  try {
    writeFileAtomically(dir / "no" / "such" / "a.txt", "x");
    FAIL() << "wrote into a missing folder";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a.txt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos)
        << e.what();
  }
}

// A full disk, simulated with a file-size limit in a child process: the write fails, the error
// says why, the old file is untouched and no temporary file is left.
TEST(AtomicFile, FullDiskKeepsTheOldFile) {
  TempDir dir;
  const fs::path path = dir / "labels.csv";
  writeFileAtomically(path, "old content\n");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // make the write return EFBIG instead of killing the process
    const rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      writeFileAtomically(path, std::string(1 << 20, 'x'));
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("write failed") != std::string::npos ? 0 : 1);
    }
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another error, 2: no error";
  EXPECT_EQ(readFile(path), "old content\n");
  EXPECT_EQ(fileCount(dir.path()), 1U) << "the temporary file was removed";
}

TEST(AtomicFile, WrittenInPiecesAndPatchedOrNotAtAll) {
  TempDir dir;
  const fs::path path = dir / "model.pt";
  writeFileAtomically(path, "old");
  {
    AtomicFileWriter out(path);
    out.write("header:????;");
    out.write("payload");
    EXPECT_EQ(out.size(), 19U);
    out.writeAt(7, "0007", 4);
    EXPECT_THROW(out.writeAt(17, "xyz", 3), Error) << "past the end";
    EXPECT_EQ(readFile(path), "old") << "nothing replaced before commit";
    EXPECT_EQ(readFile(out.temporaryPath()), "header:0007;payload");
    out.commit();
  }
  EXPECT_EQ(readFile(path), "header:0007;payload");
  EXPECT_EQ(fileCount(dir.path()), 1U);
  {
    AtomicFileWriter abandoned(path);
    abandoned.write("half a checkpoint");
  }  // an exception or a crash before commit
  EXPECT_EQ(readFile(path), "header:0007;payload");
  EXPECT_EQ(fileCount(dir.path()), 1U) << "the temporary file was removed";
}

}  // namespace
}  // namespace camlabel
