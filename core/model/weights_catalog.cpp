// SPDX-License-Identifier: Apache-2.0
#include "core/model/weights_catalog.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/common/error.h"
#include "core/common/sha256.h"

namespace camlabel::model {
namespace {

namespace fs = std::filesystem;

constexpr std::array<KnownWeights, 2> kKnown{{
    {"resnet50-11ad3fa6.pth", "https://download.pytorch.org/models/resnet50-11ad3fa6.pth",
     "ResNet50, ImageNet-1K, torchvision IMAGENET1K_V2 (top-1 80.9 %), about 98 MB"},
    {"resnet50-0676ba61.pth", "https://download.pytorch.org/models/resnet50-0676ba61.pth",
     "ResNet50, ImageNet-1K, torchvision IMAGENET1K_V1 (top-1 76.1 %), about 98 MB"},
}};

// torch.hub's names carry at least 8 digits; a full SHA-256 has 64.
constexpr std::size_t kMinPrefix = 8;
constexpr std::size_t kMaxPrefix = 64;

bool isLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// PyTorch files are zip archives (torch.save since 1.6) or pickles (the legacy format, protocol
// 2 and up); anything else, such as an HTML error page saved under a .pth name, is not one.
bool startsLikePyTorch(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 4> head{};
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const auto got = in.gcount();
  if (got >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == '\x03' && head[3] == '\x04')
    return true;
  return got >= 2 && static_cast<unsigned char>(head[0]) == 0x80 && head[1] >= 2 && head[1] <= 5;
}

[[noreturn]] void copyFailed(const fs::path& source, const fs::path& target, const char* what,
                             const std::string& reason) {
  std::string message = "cannot copy '";
  message.append(source.string()).append("' to '").append(target.string()).append("': ");
  message.append(what).append(": ").append(reason);
  throw Error(message);
}

// Makes a copied file's bytes durable before it is renamed into place.
void flushToDisk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error(std::string("cannot open '").append(path.string()).append("': ") +
                std::strerror(errno));
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0)
    throw Error(std::string("cannot flush '").append(path.string()).append("': ") +
                std::strerror(error));
}

}  // namespace

std::span<const KnownWeights> knownWeights() {
  return kKnown;
}

const KnownWeights* findKnownWeights(std::string_view fileName) {
  const auto it = std::find_if(kKnown.begin(), kKnown.end(), [&](const KnownWeights& known) {
    return known.fileName == fileName;
  });
  return it == kKnown.end() ? nullptr : &*it;
}

std::optional<std::string> hashPrefixOfFileName(std::string_view fileName) {
  if (const auto slash = fileName.find_last_of('/'); slash != std::string_view::npos)
    fileName.remove_prefix(slash + 1);
  const auto dash = fileName.find_last_of('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto dot = fileName.find('.', dash + 1);
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view digits = fileName.substr(dash + 1, dot - dash - 1);
  if (digits.size() < kMinPrefix || digits.size() > kMaxPrefix ||
      !std::all_of(digits.begin(), digits.end(), isLowerHex)) {
    return std::nullopt;
  }
  return std::string(digits);
}

void checkHashAgainstName(const fs::path& file, std::string_view sha256) {
  const auto expected = hashPrefixOfFileName(file.filename().string());
  if (!expected || sha256.substr(0, expected->size()) == *expected) return;
  std::string reason = "its SHA-256 should begin with ";
  reason.append(*expected)
      .append(" (the digits in its name) but is ")
      .append(sha256)
      .append(": the file is damaged, incomplete or not the one its name says");
  throw InputError(file.string(), reason);
}

std::string verifyWeightsFile(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError(path.string(), "no such file");
  if (!fs::is_regular_file(status)) throw InputError(path.string(), "not a regular file");
  if (fs::file_size(path, error) == 0 && !error)
    throw InputError(path.string(), "the file is empty");
  if (!startsLikePyTorch(path)) {
    throw InputError(path.string(),
                     "not a PyTorch weights file (neither a zip archive nor a pickle)");
  }
  std::string sha256 = sha256File(path);
  checkHashAgainstName(path, sha256);
  return sha256;
}

fs::path defaultWeightsFolder(std::string_view xdgDataHome, std::string_view home) {
  if (!xdgDataHome.empty() && fs::path(xdgDataHome).is_absolute())
    return fs::path(xdgDataHome) / "camlabel" / "weights";
  if (!home.empty()) return fs::path(home) / ".local" / "share" / "camlabel" / "weights";
  throw Error("cannot find the user's data folder: neither XDG_DATA_HOME nor HOME is set.");
}

fs::path defaultWeightsFolder() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  return defaultWeightsFolder(xdg ? xdg : "", home ? home : "");
}

std::optional<fs::path> findDownloadedWeights(const fs::path& folder) {
  for (const KnownWeights& known : kKnown) {
    const fs::path candidate = folder / known.fileName;
    std::error_code error;
    if (fs::is_regular_file(candidate, error) && fs::file_size(candidate, error) > 0 && !error)
      return candidate;
  }
  return std::nullopt;
}

fs::path installWeightsFile(const fs::path& source, const fs::path& folder) {
  verifyWeightsFile(source);
  if (!hashPrefixOfFileName(source.filename().string())) return source;

  const fs::path target = folder / source.filename();
  std::error_code error;
  if (fs::equivalent(source, target, error)) return target;

  fs::create_directories(folder, error);
  if (error) copyFailed(source, target, "cannot create the folder", error.message());
  fs::path part = target;
  part += ".part";
  fs::copy_file(source, part, fs::copy_options::overwrite_existing, error);
  if (!error) {
    try {
      flushToDisk(part);
    } catch (const Error& flush) {
      fs::remove(part, error);
      copyFailed(source, target, "flush failed", flush.what());
    }
    fs::rename(part, target, error);
  }
  if (error) {
    const std::string reason = error.message();
    fs::remove(part, error);
    copyFailed(source, target, "copy failed", reason);
  }
  return target;
}

}  // namespace camlabel::model
