// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace camlabel::model {

/// A torchvision weights file camlabel knows how to start from.
struct KnownWeights {
  std::string_view fileName;     ///< e.g. "resnet50-11ad3fa6.pth"; carries its hash prefix
  std::string_view url;          ///< torchvision's own address of the file
  std::string_view description;  ///< one line in English, for lists and --help
};

/// Where torchvision keeps its files; a mirror replaces this base and keeps the file names.
inline constexpr std::string_view kTorchvisionUrlBase = "https://download.pytorch.org/models/";

/// ResNet50's ImageNet weights, recommended first (IMAGENET1K_V2, then IMAGENET1K_V1).
std::span<const KnownWeights> knownWeights();

/// The known file of that name (a bare file name, not a path); nullptr for any other name.
const KnownWeights* findKnownWeights(std::string_view fileName);

/// The hash prefix torchvision writes into its file names: the lowercase hex digits between the
/// last '-' and the '.' after it ("resnet50-11ad3fa6.pth" -> "11ad3fa6"), when there are 8 to 64
/// of them (torch.hub's check_hash convention). std::nullopt for names without one. A path's
/// folders are ignored.
std::optional<std::string> hashPrefixOfFileName(std::string_view fileName);

/// Compares a file's SHA-256 (64 lowercase hex digits) with the prefix its name carries; a name
/// without a prefix always passes. Throws camlabel::InputError naming the file, the expected
/// prefix and the actual hash.
void checkHashAgainstName(const std::filesystem::path& file, std::string_view sha256);

/// Checks a weights file before it is used: it is a regular file that starts like a PyTorch
/// file (zip, or a legacy pickle), and, when its name carries a hash prefix, its SHA-256 starts
/// with it. Reads the whole file in blocks (constant memory; about 0.2 s for ResNet50's 98 MB).
/// Returns the file's SHA-256 (64 lowercase hex digits), for the project's records. Throws
/// camlabel::InputError naming the file and the reason (missing, unreadable, not a PyTorch file,
/// or "expected SHA-256 beginning with ..., got ...").
std::string verifyWeightsFile(const std::filesystem::path& path);

/// The user's weights folder: $XDG_DATA_HOME/camlabel/weights when XDG_DATA_HOME is an absolute
/// path (the XDG rule), else $HOME/.local/share/camlabel/weights. Throws camlabel::Error when
/// neither variable is usable. The folder need not exist.
std::filesystem::path defaultWeightsFolder();

/// The same rule on given values (empty: unset), for callers and tests that do not read the
/// environment.
std::filesystem::path defaultWeightsFolder(std::string_view xdgDataHome, std::string_view home);

/// The first known file (in knownWeights() order) present as a non-empty regular file in
/// `folder`; std::nullopt when there is none or the folder does not exist. Does not re-hash:
/// call verifyWeightsFile before trusting a file someone may have put there by hand.
std::optional<std::filesystem::path> findDownloadedWeights(const std::filesystem::path& folder);

/// Makes a chosen weights file available in `folder` and returns the path to use. The file is
/// verified first (verifyWeightsFile). A name that carries a hash prefix identifies its content,
/// so the file is copied into `folder` (through a temporary ".part" file, flushed, then renamed:
/// never a half-written file under the final name; a file of that name there is replaced) unless
/// it already is that file. A name without a prefix could clash with another file of the same
/// name, so such a file is used where it is and its own path returned. Throws
/// camlabel::InputError for a bad file and camlabel::Error when the copy fails (e.g. no space).
std::filesystem::path installWeightsFile(const std::filesystem::path& source,
                                         const std::filesystem::path& folder);

}  // namespace camlabel::model
