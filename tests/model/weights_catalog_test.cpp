// SPDX-License-Identifier: Apache-2.0
#include "core/model/weights_catalog.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

namespace fs = std::filesystem;
using model::hashPrefixOfFileName;
using model::verifyWeightsFile;

// Bytes that start like a zip-format torch.save file, then seeded noise.
std::string zipLikeBytes(std::uint32_t seed, std::size_t size = 4096) {
  std::string bytes("PK\x03\x04", 4);
  std::mt19937 generator(seed);
  while (bytes.size() < size)
    bytes.push_back(static_cast<char>(generator() & 0xff));
  return bytes;
}

// A file named the way torchvision names its own: the first 8 hex digits of its SHA-256.
fs::path writeNamedAfterHash(const fs::path& folder, const std::string& bytes,
                             const std::string& stem = "resnet50") {
  std::string name = stem;
  name.append("-").append(sha256Hex(bytes).substr(0, 8)).append(".pth");
  const fs::path path = folder / name;
  writeFile(path, bytes);
  return path;
}

struct PrefixCase {
  const char* name;
  std::optional<std::string> prefix;
};

// Test names show the file name, not the struct's bytes (which held pointers: a new name each
// build).
void PrintTo(const PrefixCase& c, std::ostream* out) {
  *out << '"' << c.name << '"';
}

class HashPrefixTest : public ::testing::TestWithParam<PrefixCase> {};

TEST_P(HashPrefixTest, FollowsTorchHubConvention) {
  EXPECT_EQ(hashPrefixOfFileName(GetParam().name), GetParam().prefix) << GetParam().name;
}

const std::string k64(64, 'a');

INSTANTIATE_TEST_SUITE_P(Names, HashPrefixTest,
                         ::testing::Values(PrefixCase{"resnet50-11ad3fa6.pth", "11ad3fa6"},
                                           PrefixCase{"resnet50-0676ba61.pth", "0676ba61"},
                                           PrefixCase{"/home/a-b/models/resnet50-0676ba61.pth",
                                                      "0676ba61"},
                                           PrefixCase{"my-model-0123abcd.tar.gz", "0123abcd"},
                                           PrefixCase{"densenet121-a639ec97ef.pth", "a639ec97ef"},
                                           PrefixCase{"resnet50.pth", std::nullopt},
                                           PrefixCase{"resnet50-11ad3fa.pth", std::nullopt},
                                           PrefixCase{"resnet50-11AD3FA6.pth", std::nullopt},
                                           PrefixCase{"resnet50-11ad3fa6", std::nullopt},
                                           PrefixCase{"resnet50-11ad3fg6.pth", std::nullopt},
                                           PrefixCase{"resnet50-.pth", std::nullopt},
                                           PrefixCase{"resnet50-11ad3fa6-x.pth", std::nullopt},
                                           PrefixCase{"", std::nullopt}));

TEST(HashPrefix, AcceptsAFullHashButNoMore) {
  EXPECT_EQ(hashPrefixOfFileName(std::string("w-").append(k64).append(".pth")), k64);
  EXPECT_EQ(hashPrefixOfFileName(std::string("w-").append(k64).append("a.pth")), std::nullopt);
}

TEST(KnownWeights, AreTorchvisionResNet50FilesWithTheirPrefixes) {
  const auto known = model::knownWeights();
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].fileName, "resnet50-11ad3fa6.pth");  // V2 first: the recommended one
  EXPECT_EQ(known[1].fileName, "resnet50-0676ba61.pth");
  for (const auto& weights : known) {
    std::string url(model::kTorchvisionUrlBase);
    url.append(weights.fileName);
    EXPECT_EQ(weights.url, url);
    EXPECT_TRUE(hashPrefixOfFileName(weights.fileName).has_value());
    EXPECT_FALSE(weights.description.empty());
    EXPECT_EQ(model::findKnownWeights(weights.fileName), &weights);
  }
  EXPECT_EQ(model::findKnownWeights("resnet18-f37072fd.pth"), nullptr);
}

TEST(VerifyWeights, AcceptsAFileWhoseHashMatchesItsName) {
  TempDir dir;
  const std::string bytes = zipLikeBytes(1);
  const fs::path path = writeNamedAfterHash(dir.path(), bytes);
  EXPECT_EQ(verifyWeightsFile(path), sha256Hex(bytes));
}

TEST(VerifyWeights, AcceptsTheLegacyPickleFormat) {
  TempDir dir;
  std::string bytes("\x80\x02\x8a\x0a", 4);
  bytes.append(zipLikeBytes(2).substr(4));
  EXPECT_EQ(verifyWeightsFile(writeNamedAfterHash(dir.path(), bytes)), sha256Hex(bytes));
}

TEST(VerifyWeights, RejectsAMismatchNamingExpectedAndActualHash) {
  TempDir dir;
  const std::string bytes = zipLikeBytes(3);
  const std::string actual = sha256Hex(bytes);
  const std::string wrong = actual[0] == '0' ? "1badc0de" : "0badc0de";
  const fs::path path = dir / std::string("resnet50-").append(wrong).append(".pth");
  writeFile(path, bytes);
  try {
    verifyWeightsFile(path);
    FAIL() << "a mismatching file was accepted";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(wrong), std::string::npos) << message;
    EXPECT_NE(message.find(actual), std::string::npos) << message;
  }
}

TEST(VerifyWeights, RejectsATruncatedFile) {
  TempDir dir;
  const std::string bytes = zipLikeBytes(4);
  const fs::path path = writeNamedAfterHash(dir.path(), bytes);
  writeFile(path, bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(verifyWeightsFile(path), InputError);
}

TEST(VerifyWeights, NameWithoutPrefixIsCheckedForFormatOnly) {
  TempDir dir;
  writeFile(dir / "resnet50.pth", zipLikeBytes(5));
  EXPECT_EQ(verifyWeightsFile(dir / "resnet50.pth"), sha256Hex(zipLikeBytes(5)));

  const std::string html = "<html><body>Access denied</body></html>";
  writeFile(dir / "page.pth", html);
  EXPECT_THROW(verifyWeightsFile(dir / "page.pth"), InputError);
  // Even under a name whose hash matches, a foreign file is refused.
  EXPECT_THROW(verifyWeightsFile(writeNamedAfterHash(dir.path(), html)), InputError);
}

TEST(VerifyWeights, RejectsMissingEmptyAndFolders) {
  TempDir dir;
  EXPECT_THROW(verifyWeightsFile(dir / "resnet50-11ad3fa6.pth"), InputError);
  writeFile(dir / "empty.pth", "");
  EXPECT_THROW(verifyWeightsFile(dir / "empty.pth"), InputError);
  EXPECT_THROW(verifyWeightsFile(dir.path()), InputError);
}

TEST(DefaultWeightsFolder, FollowsXdgThenHome) {
  EXPECT_EQ(model::defaultWeightsFolder("/data/u", "/home/u"),
            fs::path("/data/u/camlabel/weights"));
  // XDG: a relative XDG_DATA_HOME is invalid and ignored.
  EXPECT_EQ(model::defaultWeightsFolder("rel/data", "/home/u"),
            fs::path("/home/u/.local/share/camlabel/weights"));
  EXPECT_EQ(model::defaultWeightsFolder("", "/home/u"),
            fs::path("/home/u/.local/share/camlabel/weights"));
  EXPECT_THROW(model::defaultWeightsFolder("", ""), Error);
}

TEST(DefaultWeightsFolder, ReadsTheEnvironment) {
  const char* old = std::getenv("XDG_DATA_HOME");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  ::setenv("XDG_DATA_HOME", "/tmp/camlabel-xdg-test", 1);
  const fs::path folder = model::defaultWeightsFolder();
  if (saved) {
    ::setenv("XDG_DATA_HOME", saved->c_str(), 1);
  } else {
    ::unsetenv("XDG_DATA_HOME");
  }
  EXPECT_EQ(folder, fs::path("/tmp/camlabel-xdg-test/camlabel/weights"));
}

TEST(FindDownloadedWeights, PrefersV2AndSkipsEmptyFiles) {
  TempDir dir;
  EXPECT_EQ(model::findDownloadedWeights(dir / "absent"), std::nullopt);
  EXPECT_EQ(model::findDownloadedWeights(dir.path()), std::nullopt);
  writeFile(dir / "resnet50-0676ba61.pth", "v1");
  writeFile(dir / "resnet50-11ad3fa6.pth", "");
  EXPECT_EQ(model::findDownloadedWeights(dir.path()), dir / "resnet50-0676ba61.pth");
  writeFile(dir / "resnet50-11ad3fa6.pth", "v2");
  EXPECT_EQ(model::findDownloadedWeights(dir.path()), dir / "resnet50-11ad3fa6.pth");
}

TEST(InstallWeights, CopiesAHashedFileIntoTheFolder) {
  TempDir source, folder;
  const std::string bytes = zipLikeBytes(6);
  const fs::path chosen = writeNamedAfterHash(source.path(), bytes);
  const fs::path target = folder / "weights" / chosen.filename().string();
  EXPECT_EQ(model::installWeightsFile(chosen, folder / "weights"), target);
  EXPECT_EQ(readFile(target), bytes);
  EXPECT_TRUE(fs::exists(chosen));
  EXPECT_EQ(std::distance(fs::directory_iterator(folder / "weights"), fs::directory_iterator()), 1)
      << "a temporary file was left behind";
  // Already in place: used as it is.
  EXPECT_EQ(model::installWeightsFile(target, folder / "weights"), target);
  EXPECT_EQ(readFile(target), bytes);
}

TEST(InstallWeights, ReplacesADamagedCopyOfTheSameName) {
  TempDir source, folder;
  const std::string bytes = zipLikeBytes(7);
  const fs::path chosen = writeNamedAfterHash(source.path(), bytes);
  writeFile(folder / chosen.filename().string(), bytes.substr(0, 100));
  EXPECT_EQ(model::installWeightsFile(chosen, folder.path()), folder / chosen.filename().string());
  EXPECT_EQ(readFile(folder / chosen.filename().string()), bytes);
}

TEST(InstallWeights, UsesAnUnhashedFileWhereItIs) {
  TempDir source, folder;
  writeFile(source / "finetuned.pth", zipLikeBytes(8));
  EXPECT_EQ(model::installWeightsFile(source / "finetuned.pth", folder.path()),
            source / "finetuned.pth");
  EXPECT_TRUE(fs::is_empty(folder.path()));
}

TEST(InstallWeights, RefusesABadFileAndCopiesNothing) {
  TempDir source, folder;
  writeFile(source / "resnet50-11ad3fa6.pth", zipLikeBytes(9));
  EXPECT_THROW(model::installWeightsFile(source / "resnet50-11ad3fa6.pth", folder.path()),
               InputError);
  EXPECT_TRUE(fs::is_empty(folder.path()));
}

TEST(InstallWeights, ReportsAFolderThatCannotBeCreated) {
  TempDir source, folder;
  const fs::path chosen = writeNamedAfterHash(source.path(), zipLikeBytes(10));
  writeFile(folder / "file", "not a folder");
  EXPECT_THROW(model::installWeightsFile(chosen, folder / "file" / "weights"), Error);
}

}  // namespace
}  // namespace camlabel::test
