// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/raster_codecs.h"

#include <filesystem>

#include "core/common/error.h"
#include "core/common/program_files.h"

#ifdef CAMLABEL_CODECS_LINKED
// The module's own entry points, linked in (the fuzz targets, which instrument what they call).
extern "C" {
bool camlabel_decode_raster(const std::vector<std::uint8_t>* bytes, cv::Mat* out,
                            std::string* error);
int camlabel_encode_raster(const std::string* extension, const cv::Mat* image,
                           std::vector<std::uint8_t>* out, std::string* error);
}
#else
#include <dlfcn.h>
#endif

namespace camlabel::imaging::detail {
namespace {

using DecodeFn = bool (*)(const std::vector<std::uint8_t>*, cv::Mat*, std::string*);
using EncodeFn = int (*)(const std::string*, const cv::Mat*, std::vector<std::uint8_t>*,
                         std::string*);

struct Codecs {
  DecodeFn decode = nullptr;
  EncodeFn encode = nullptr;
  std::string problem;  ///< why they could not be loaded; empty when they were
};

#ifdef CAMLABEL_CODECS_LINKED

Codecs load() {
  return {&camlabel_decode_raster, &camlabel_encode_raster, {}};
}

#else

namespace fs = std::filesystem;

constexpr const char* kModule = "libcamlabel_codecs.so";

std::vector<fs::path> candidates() {
  std::vector<fs::path> paths = programFileCandidates(kModule);
  paths.emplace_back(CAMLABEL_CODECS_BUILD_PATH);
  return paths;
}

Codecs load() {
  Codecs codecs;
  std::string tried;
  for (const fs::path& path : candidates()) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      codecs.problem = "cannot load " + path.string() + ": " + ::dlerror();
      return codecs;
    }
    // Kept loaded for the life of the process.
    codecs.decode = reinterpret_cast<DecodeFn>(::dlsym(module, "camlabel_decode_raster"));
    codecs.encode = reinterpret_cast<EncodeFn>(::dlsym(module, "camlabel_encode_raster"));
    if (codecs.decode == nullptr || codecs.encode == nullptr)
      codecs.problem = path.string() + " is not camlabel's image codec module";
    return codecs;
  }
  codecs.problem = std::string(kModule) + " is missing (looked for " + tried + ")";
  return codecs;
}

#endif

const Codecs& codecs() {
  static const Codecs loaded = load();  // once, thread-safe
  if (!loaded.problem.empty())
    throw Error("cannot decode or encode PNG, JPEG, TIFF or BMP images: " + loaded.problem +
                "; reinstall camlabel");
  return loaded;
}

}  // namespace

cv::Mat decodeRaster(const std::vector<std::uint8_t>& bytes) {
  cv::Mat out;
  std::string error;
  if (!codecs().decode(&bytes, &out, &error)) throw RasterCodecError(error);
  return out;
}

bool encodeRaster(const std::string& extension, const cv::Mat& image,
                  std::vector<std::uint8_t>& out) {
  std::string error;
  const int result = codecs().encode(&extension, &image, &out, &error);
  if (result < 0) throw RasterCodecError(error);
  return result == 1;
}

}  // namespace camlabel::imaging::detail
