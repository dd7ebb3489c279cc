// SPDX-License-Identifier: Apache-2.0
#include "core/explain/cam_render.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/imaging/image_writer.h"

namespace camlabel::explain {

CamColormap parseCamColormap(std::string_view name) {
  if (name == "jet") return CamColormap::Jet;
  if (name == "viridis") return CamColormap::Viridis;
  throw Error("unknown colour map '" + std::string(name) + "' (accepted: jet, viridis)");
}

cv::Mat camToMat(const at::Tensor& map) {
  if (map.dim() != 2) throw Error("a heatmap must be a 2-D tensor");
  const at::Tensor cpu = map.detach().to(at::kCPU, at::kFloat).contiguous();
  cv::Mat out(static_cast<int>(cpu.size(0)), static_cast<int>(cpu.size(1)), CV_32FC1);
  std::memcpy(out.data, cpu.data_ptr<float>(),
              static_cast<std::size_t>(cpu.numel()) * sizeof(float));
  return out;
}

cv::Mat colorizeCam(const cv::Mat& map, CamColormap colormap) {
  if (map.type() != CV_32FC1) throw Error("a heatmap must be a single-channel float image");
  cv::Mat clamped = cv::max(cv::min(map, 1.0), 0.0);
  cv::Mat levels;
  clamped.convertTo(levels, CV_8UC1, 255.0);  // rounds to nearest
  cv::Mat colours;
  cv::applyColorMap(levels, colours,
                    colormap == CamColormap::Jet ? cv::COLORMAP_JET : cv::COLORMAP_VIRIDIS);
  return colours;
}

cv::Mat resizeCam(const cv::Mat& map, cv::Size size) {
  if (map.type() != CV_32FC1) throw Error("a heatmap must be a single-channel float image");
  if (size.width < 1 || size.height < 1) throw Error("a heatmap cannot be resized to nothing");
  if (map.size() == size) return map.clone();
  cv::Mat resized;
  cv::resize(map, resized, size, 0, 0, cv::INTER_LINEAR);
  return resized;
}

cv::Mat overlayCam(const cv::Mat& gray8, const cv::Mat& map, CamColormap colormap, double opacity) {
  if (!(opacity >= 0.0 && opacity <= 1.0)) throw Error("the heatmap opacity must be in [0, 1]");
  if (gray8.type() != CV_8UC1 || gray8.empty()) {
    throw Error("the image under a heatmap must be 8-bit gray");
  }
  const cv::Mat colours = colorizeCam(resizeCam(map, gray8.size()), colormap);
  cv::Mat grayBgr;
  cv::cvtColor(gray8, grayBgr, cv::COLOR_GRAY2BGR);
  cv::Mat out;
  cv::addWeighted(grayBgr, 1.0 - opacity, colours, opacity, 0.0, out);
  return out;
}

void writeCamTiff(const std::filesystem::path& path, const cv::Mat& map) {
  if (map.type() != CV_32FC1) throw Error("a heatmap must be a single-channel float image");
  const std::string ext = path.extension().string();
  if (ext != ".tif" && ext != ".tiff" && ext != ".TIF" && ext != ".TIFF") {
    throw Error("cannot write '" + path.string() + "': a float heatmap needs a .tif or .tiff name");
  }
  imaging::writeImageFile(path, map);
}

std::vector<cv::Mat> onCommonScale(const std::vector<cv::Mat>& raws, cv::Size size) {
  std::vector<cv::Mat> maps;
  double highest = 0;
  for (const cv::Mat& raw : raws) {
    double lowest = 0, top = 0;
    cv::minMaxLoc(raw, &lowest, &top);
    if (lowest < 0) throw Error("a raw heatmap cannot have negative values (apply ReLU first)");
    maps.push_back(resizeCam(raw, size));
    highest = std::max(highest, top);
  }
  for (cv::Mat& map : maps)
    map = highest > 0 ? map / highest : cv::Mat::zeros(size, CV_32FC1);
  return maps;
}

}  // namespace camlabel::explain
