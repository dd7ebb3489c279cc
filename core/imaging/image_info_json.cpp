// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/image_info_json.h"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/imaging/window.h"

namespace camlabel::imaging {

nlohmann::json toJson(const ImageInfo& info) {
  nlohmann::json j;
  j["format"] = formatName(info.format);
  j["width"] = info.width;
  j["height"] = info.height;
  j["bits_per_sample"] = info.bitsPerSample;
  j["samples_per_pixel"] = info.samplesPerPixel;
  j["frames"] = info.frameCount;
  j["modality"] = info.modality.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.modality);
  j["values"] = meaningName(info.meaning);
  j["min"] = info.minValue;
  j["max"] = info.maxValue;
  if (info.meaning == PixelMeaning::Hounsfield)
    j["hu_range"] = {info.minValue, info.maxValue};
  else
    j["hu_range"] = nullptr;
  if (info.pixelSpacingRowMm && info.pixelSpacingColMm)
    j["pixel_spacing_mm"] = {*info.pixelSpacingRowMm, *info.pixelSpacingColMm};
  else
    j["pixel_spacing_mm"] = nullptr;
  if (info.storedWindow)
    j["stored_window"] = {{"center", info.storedWindow->center},
                          {"width", info.storedWindow->width}};
  else
    j["stored_window"] = nullptr;
  const Window window = defaultWindow(info);
  j["default_window"] = {{"center", window.center}, {"width", window.width}};
  if (!info.transferSyntax.empty()) j["transfer_syntax"] = info.transferSyntax;
  j["warnings"] = info.warnings;
  return j;
}

std::string toText(const ImageInfo& info) {
  std::ostringstream out;
  auto line = [&out](const char* key, const std::string& value) {
    char label[24];
    std::snprintf(label, sizeof label, "%-16s", key);
    out << label << value << '\n';
  };
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  line("format:", std::string(formatName(info.format)));
  line("size:", std::to_string(info.width) + " x " + std::to_string(info.height));
  line("bits:", std::to_string(info.bitsPerSample) + " x " + std::to_string(info.samplesPerPixel) +
                    " sample(s)");
  if (info.frameCount > 1) line("frames:", std::to_string(info.frameCount));
  line("modality:", info.modality.empty() ? "-" : info.modality);
  const std::string range = num(info.minValue) + " .. " + num(info.maxValue);
  line("values:", info.meaning == PixelMeaning::Hounsfield ? range + " HU"
                  : info.meaning == PixelMeaning::Stored8  ? range + " (8-bit, as stored)"
                                                           : range + " (no physical unit)");
  if (info.pixelSpacingRowMm && info.pixelSpacingColMm)
    line("pixel spacing:",
         num(*info.pixelSpacingRowMm) + " x " + num(*info.pixelSpacingColMm) + " mm");
  if (info.storedWindow) line("stored window:", describeWindow(*info.storedWindow));
  line("default window:", describeWindow(defaultWindow(info)));
  if (!info.transferSyntax.empty()) line("transfer syntax:", info.transferSyntax);
  for (const std::string& warning : info.warnings)
    line("warning:", warning);
  return out.str();
}

}  // namespace camlabel::imaging
