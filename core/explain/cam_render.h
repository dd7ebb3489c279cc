// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include <ATen/core/Tensor.h>

#include <opencv2/core/mat.hpp>

namespace camlabel::explain {

/// JET for familiarity; VIRIDIS is perceptually uniform (equal steps look equal, and it reads in
/// grayscale), so it does not invent edges in a smooth map the way JET's bands do.
enum class CamColormap { Jet, Viridis };

/// "jet" or "viridis"; throws camlabel::Error otherwise.
CamColormap parseCamColormap(std::string_view name);

/// A (H, W) float tensor on any device as a CV_32FC1 matrix that owns its pixels.
cv::Mat camToMat(const at::Tensor& map);

/// A CV_32FC1 map in [0, 1] (values outside are clamped) as CV_8UC3 BGR colours: the map is
/// quantised to round(v * 255) and looked up in the colour map.
cv::Mat colorizeCam(const cv::Mat& map, CamColormap colormap);

/// The map resized bilinearly to `size` (OpenCV INTER_LINEAR: half-pixel centres, no
/// antialiasing), as overlayCam shows it: the heatmap aligned with the image's pixels. Throws
/// camlabel::Error on a wrong type or an empty size.
cv::Mat resizeCam(const cv::Mat& map, cv::Size size);

/// Raw maps of several models (or images) on one scale: each resized to `size` as resizeCam does,
/// then all divided by the largest value among them, so a map whose evidence is weaker looks
/// weaker. Per-map min-max normalisation hides exactly that when comparing a model before and
/// after training. All-zero inputs give all-zero maps. Throws camlabel::Error on negative
/// values (apply ReLU first) or a wrong type.
std::vector<cv::Mat> onCommonScale(const std::vector<cv::Mat>& raws, cv::Size size);

/// Blends the colour map over the windowed 8-bit gray image (CV_8UC1):
/// (1 - opacity) * gray + opacity * colour, as CV_8UC3 BGR at the gray image's size. The map is
/// resized bilinearly to that size first (preprocessing resized the whole image to the model's
/// square, so this undoes it). Throws camlabel::Error when opacity is outside [0, 1] or the types
/// are wrong.
cv::Mat overlayCam(const cv::Mat& gray8, const cv::Mat& map, CamColormap colormap, double opacity);

/// Writes a CV_32FC1 heatmap as a float32 TIFF (for analysis: values as computed, no colour).
/// Throws camlabel::Error on a wrong type, an extension other than .tif/.tiff, or I/O failure.
void writeCamTiff(const std::filesystem::path& path, const cv::Mat& map);

}  // namespace camlabel::explain
