// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/phantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include <opencv2/core.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/imaging/dicom_writer.h"
#include "core/imaging/image_writer.h"
#include "core/imaging/window.h"

// Determinism on every machine rests on three rules: random numbers come from std::mt19937_64
// (its output sequence is fixed by the standard) converted by our own arithmetic, per-pixel
// geometry uses only + - * / and sqrt (correctly rounded in IEEE 754), and the few trigonometric
// values are rounded to 1e-9 so that a libm differing in the last bit cannot move a pixel.

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;

/// Side limits: below 64 pixels the textures vanish, above 4096 a slice takes gigabytes.
constexpr int kMinSize = 64;
constexpr int kMaxSize = 4096;

/// Tissue values in Hounsfield units.
constexpr double kAirHu = -1000;           // outside the body, airway lumens
constexpr double kFatHu = -100;            // subcutaneous and pericardial fat
constexpr double kSoftTissueHu = 40;       // muscle, mediastinum, vessel walls
constexpr double kBloodHu = 45;            // heart, aorta, pulmonary vessels
constexpr double kCsfHu = 15;              // spinal canal
constexpr double kCancellousBoneHu = 450;  // vertebral body, ribs, sternum
constexpr double kCorticalBoneHu = 700;    // vertebral cortex
constexpr double kLungHu = -850;           // aerated parenchyma, mid lung
constexpr double kLungGradientHu = 30;     // posterior (dependent) lung is this much denser
constexpr double kNoiseSigmaHu = 15;       // quantum noise of a low-dose scan
/// The range a CT scanner reports; the PNG and DICOM encodings hold it without clipping.
constexpr double kMinHu = -1024;
constexpr double kMaxHu = 3071;

/// Lesion values in Hounsfield units.
constexpr double kCystHu = -960;              // honeycomb cyst lumen, darker than lung
constexpr double kFibroticWallHu = -70;       // thick cyst walls
constexpr double kReticulationHu = -460;      // fine intralobular lines
constexpr double kGroundGlassHu = -660;       // NSIP, AIP: vessels stay visible through it
constexpr double kFaintGroundGlassHu = -715;  // DIP/MIP: homogeneous, lighter
constexpr double kNoduleCoreHu = -220;        // bronchiolocentric nodules
constexpr double kCentrilobularHu = -650;     // RBILD nodules, faint
constexpr double kConsolidationHu = 10;       // organising pneumonia, airspace filled
constexpr double kAirBronchogramHu = -920;    // air in bronchi crossing consolidation
constexpr double kPleuralFibrosisHu = -40;    // PPFE: dense, nearly soft tissue
constexpr double kSeptalLineHu = -380;        // crazy paving
constexpr double kThickWallHu = -60;          // inflamed bronchiolar walls

/// A lesion pixel differs from the anatomy by at least this much, so that a mask pixel is a
/// visible change and not a rounding residue.
constexpr double kMinLesionContrastHu = 2;

/// Lesions cover this share of the lung; a draw outside it is redrawn (same stream, so still
/// deterministic).
constexpr double kMinLesionShare = 0.03;
constexpr double kMaxLesionShare = 0.27;
/// The diffuse patterns (DIP, AIP) cover more by definition.
constexpr double kMaxDiffuseLesionShare = 0.4;
constexpr int kMaxLesionAttempts = 12;

/// Field of view of the phantom: a chest about 330 mm wide fills 90% of the image.
constexpr double kFieldOfViewMm = 360;

constexpr std::uint64_t kAnatomyStream = 0xA7A70;
constexpr std::uint64_t kNoiseStream = 0x7015E;
constexpr std::uint64_t kLesionStream = 0x1E5;
constexpr std::uint64_t kSetStream = 0x5E7;

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t streamSeed(std::initializer_list<std::uint64_t> parts) {
  std::uint64_t h = 0x6A09E667F3BCC908ULL;
  for (std::uint64_t part : parts)
    h = splitmix(h ^ part);
  return h;
}

/// The standard distributions are implementation-defined, so the conversions are ours.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int index(int n) { return std::min(n - 1, static_cast<int>(uniform() * n)); }
  bool chance(double p) { return uniform() < p; }
  /// Irwin-Hall: the sum of 12 uniforms has variance 1 and needs no log or cos.
  double normal() {
    double sum = 0;
    for (int i = 0; i < 12; ++i)
      sum += uniform();
    return sum - 6;
  }

 private:
  std::mt19937_64 engine_;
};

double quantised(double value) {
  return std::round(value * 1e9) / 1e9;
}

double degrees(double deg) {
  return deg * 3.14159265358979323846 / 180;
}

/// Shapes live in normalised coordinates (origin at the image centre, unit = image side), so one
/// seed draws the same patient at every size.
struct Ellipse {
  double cx = 0, cy = 0, a = 1, b = 1;
  double cosT = 1, sinT = 0;

  Ellipse() = default;
  Ellipse(double x, double y, double semiX, double semiY, double angleRad = 0)
      : cx(x),
        cy(y),
        a(semiX),
        b(semiY),
        cosT(quantised(std::cos(angleRad))),
        sinT(quantised(std::sin(angleRad))) {}

  double radius2(double x, double y) const {
    const double dx = x - cx;
    const double dy = y - cy;
    const double u = cosT * dx + sinT * dy;
    const double v = -sinT * dx + cosT * dy;
    return (u * u) / (a * a) + (v * v) / (b * b);
  }
  bool contains(double x, double y) const { return radius2(x, y) <= 1; }
  Ellipse grown(double by) const {
    Ellipse e = *this;
    e.a += by;
    e.b += by;
    return e;
  }
};

struct Disc {
  double x = 0, y = 0, r = 0;
  double distance(double px, double py) const {
    return std::sqrt((px - x) * (px - x) + (py - y) * (py - y));
  }
};

enum Tissue : std::uint8_t {
  kOutside,
  kBody,
  kLung,  // aerated parenchyma: the only tissue a lesion changes
  kVessel,
  kAirwayWall,
  kAirwayLumen,
};

/// The patient: everything that depends on the seed but not on the label.
struct Anatomy {
  int size = 0;
  cv::Mat hu;       // CV_32F, noise-free
  cv::Mat tissue;   // CV_8U, Tissue
  cv::Mat lung;     // CV_8U, 0 outside the lungs, 1 image-left lung, 2 image-right lung
  cv::Mat depth;    // CV_32F, pixels to the nearest non-lung pixel (the pleura)
  cv::Mat costal;   // CV_32F, pixels to the chest wall, ignoring the mediastinal pleura
  cv::Mat vPos;     // CV_32F, 0 at the lung's anterior edge .. 1 at its posterior edge
  cv::Mat lateral;  // CV_32F, 0 at the lung's medial edge .. 1 at its lateral edge
  std::array<cv::Rect, 2> box;
  int lungPixels = 0;
  std::vector<Disc> airways;  // pixel coordinates, r = outer wall radius
};

/// The patient's outline, drawn once from the anatomy stream in a fixed order.
class Shapes {
 public:
  explicit Shapes(Rng& rng) {
    rotation_ = degrees(rng.uniform(-4, 4));
    offsetX_ = rng.uniform(-0.02, 0.02);
    offsetY_ = rng.uniform(-0.02, 0.02);
    cosR_ = quantised(std::cos(rotation_));
    sinR_ = quantised(std::sin(rotation_));

    const double bodyA = rng.uniform(0.41, 0.455);
    const double bodyB = rng.uniform(0.31, 0.345);
    const double fat = rng.uniform(0.014, 0.03);
    const double wall = rng.uniform(0.03, 0.045);
    body_ = Ellipse(0, 0, bodyA, bodyB);
    innerFat_ = Ellipse(0, 0, bodyA - fat, bodyB - fat);
    cavity_ = Ellipse(0, 0.01, bodyA - fat - wall, bodyB - fat - wall - 0.01);

    for (int side = 0; side < 2; ++side) {
      const double sign = side == 0 ? -1 : 1;
      // The right lung (image left) is the larger one.
      const double scale = side == 0 ? 1.0 : 0.93;
      // Wider than the chest cavity: the cavity clips the lateral side to the ribs' curve.
      lungs_[side] = Ellipse(sign * rng.uniform(0.17, 0.2), rng.uniform(-0.01, 0.02),
                             scale * rng.uniform(0.2, 0.23), rng.uniform(0.26, 0.3),
                             sign * degrees(rng.uniform(-8, 8)));
    }
    heart_ = Ellipse(rng.uniform(0.05, 0.08), rng.uniform(-0.04, 0.0), rng.uniform(0.14, 0.165),
                     rng.uniform(0.11, 0.13), degrees(rng.uniform(-25, -5)));
    const double vertebraY = cavity_.cy + cavity_.b - rng.uniform(0.05, 0.065);
    vertebra_ = Disc{rng.uniform(-0.008, 0.008), vertebraY, rng.uniform(0.048, 0.058)};
    canal_ = Disc{vertebra_.x, vertebraY + vertebra_.r + 0.022, 0.017};
    spinous_ = Ellipse(vertebra_.x, canal_.y + canal_.r + 0.022, 0.014, 0.026);
    aorta_ = Disc{rng.uniform(0.05, 0.075), vertebraY - rng.uniform(0.045, 0.06),
                  rng.uniform(0.026, 0.034)};
    sternum_ = Ellipse(0, -(bodyB - fat - 0.6 * wall), 0.035, 0.012);

    // Ribs sit in the chest wall, left and right of the midline.
    const int ribs = 4 + rng.index(3);
    for (int side = 0; side < 2; ++side) {
      for (int i = 0; i < ribs; ++i) {
        const double t = (i + rng.uniform(0.2, 0.8)) / ribs;
        const double angle = degrees(-70 + 150 * t);  // from anterior to posterior
        const double sign = side == 0 ? -1 : 1;
        const double c = quantised(std::cos(angle));
        const double s = quantised(std::sin(angle));
        ribs_.push_back(Disc{sign * (bodyA - fat - 0.5 * wall) * c, (bodyB - fat - 0.5 * wall) * s,
                             rng.uniform(0.009, 0.013)});
      }
    }

    placeAirways(rng);
    placeVessels(rng);
  }

  /// Body-frame coordinates of a normalised image point.
  std::pair<double, double> toBody(double x, double y) const {
    const double dx = x - offsetX_;
    const double dy = y - offsetY_;
    return {cosR_ * dx + sinR_ * dy, -sinR_ * dx + cosR_ * dy};
  }

  bool inCavity(double x, double y) const { return cavity_.contains(x, y); }

  /// 0 outside the lungs, else 1 + side.
  int lungAt(double x, double y) const {
    if (!cavity_.contains(x, y)) return 0;
    if (std::abs(x) < 0.012) return 0;  // the anterior junction line keeps the lungs apart
    if (heart_.grown(0.012).contains(x, y)) return 0;
    if (vertebra_.distance(x, y) < vertebra_.r + 0.018) return 0;
    if (aorta_.distance(x, y) < aorta_.r + 0.008) return 0;
    // Oesophagus and mediastinal fat between the heart and the spine.
    if (std::abs(x - vertebra_.x) < 0.045 && y > vertebra_.y - vertebra_.r - 0.07) return 0;
    for (int side = 0; side < 2; ++side)
      if (lungs_[side].contains(x, y)) return 1 + side;
    return 0;
  }

  /// A lung point with `margin` of lung all around it.
  bool deepInLung(double x, double y, double margin) const {
    const int side = lungAt(x, y);
    if (side == 0) return false;
    constexpr std::array<std::pair<double, double>, 8> kDirections{{{1, 0},
                                                                    {-1, 0},
                                                                    {0, 1},
                                                                    {0, -1},
                                                                    {0.7071, 0.7071},
                                                                    {-0.7071, 0.7071},
                                                                    {0.7071, -0.7071},
                                                                    {-0.7071, -0.7071}}};
    for (const auto& [dx, dy] : kDirections)
      if (lungAt(x + margin * dx, y + margin * dy) != side) return false;
    return true;
  }

  /// Tissue and noise-free HU of a body-frame point; pixel size in normalised units keeps
  /// thin structures at least a pixel wide.
  std::pair<Tissue, double> tissueAt(double x, double y, double pixel) const {
    if (!body_.contains(x, y)) return {kOutside, kAirHu};
    if (!innerFat_.contains(x, y)) return {kBody, kFatHu};
    if (const int side = lungAt(x, y); side != 0) {
      for (const Disc& v : vessels_)
        if (v.distance(x, y) <= std::max(v.r, 0.75 * pixel)) return {kVessel, kBloodHu};
      for (const Disc& a : airwaysBody_) {
        const double d = a.distance(x, y);
        const double lumen = std::max(a.r, 0.6 * pixel);
        if (d <= lumen) return {kAirwayLumen, kAirHu};
        if (d <= lumen + std::max(0.004, 0.7 * pixel)) return {kAirwayWall, kSoftTissueHu};
      }
      const Ellipse& lung = lungs_[side - 1];
      const double v = std::clamp((y - (lung.cy - lung.b)) / (2 * lung.b), 0.0, 1.0);
      return {kLung, kLungHu + kLungGradientHu * (v - 0.5)};
    }
    const double vd = vertebra_.distance(x, y);
    if (vd <= vertebra_.r)
      return {kBody,
              vd >= vertebra_.r - std::max(0.007, pixel) ? kCorticalBoneHu : kCancellousBoneHu};
    if (canal_.distance(x, y) <= canal_.r) return {kBody, kCsfHu};
    if (spinous_.contains(x, y)) return {kBody, kCancellousBoneHu};
    if (sternum_.contains(x, y)) return {kBody, kCancellousBoneHu};
    for (const Disc& rib : ribs_)
      if (rib.distance(x, y) <= std::max(rib.r, pixel)) return {kBody, kCancellousBoneHu};
    if (aorta_.distance(x, y) <= aorta_.r) return {kBody, kBloodHu};
    if (heart_.contains(x, y)) return {kBody, kBloodHu};
    if (heart_.grown(0.012).contains(x, y)) return {kBody, kFatHu};
    return {kBody, kSoftTissueHu};
  }

  const std::vector<Disc>& airways() const { return airwaysBody_; }
  double offsetX() const { return offsetX_; }
  double offsetY() const { return offsetY_; }
  double cosR() const { return cosR_; }
  double sinR() const { return sinR_; }

 private:
  bool clearOfTubes(double x, double y, double r) const {
    for (const Disc& d : airwaysBody_)
      if (d.distance(x, y) < d.r + r + 0.012) return false;
    for (const Disc& d : vessels_)
      if (d.distance(x, y) < d.r + r + 0.008) return false;
    return true;
  }

  void placeAirways(Rng& rng) {
    for (int side = 0; side < 2; ++side) {
      const Ellipse& lung = lungs_[side];
      const double sign = side == 0 ? -1 : 1;
      const int count = 1 + rng.index(2);
      for (int i = 0, tries = 0; i < count && tries < 200; ++tries) {
        // Central bronchi run near the hilum: medial, mid-height.
        const double x = lung.cx - sign * lung.a * rng.uniform(0.2, 0.55);
        const double y = lung.cy + lung.b * rng.uniform(-0.35, 0.3);
        const double r = rng.uniform(0.009, 0.015);
        if (!deepInLung(x, y, r + 0.02) || !clearOfTubes(x, y, r)) continue;
        airwaysBody_.push_back(Disc{x, y, r});
        ++i;
      }
    }
  }

  void placeVessels(Rng& rng) {
    const int count = 14 + rng.index(8);
    for (int i = 0, tries = 0; i < count && tries < 2000; ++tries) {
      const int side = rng.index(2);
      const Ellipse& lung = lungs_[side];
      const double x = lung.cx + lung.a * rng.uniform(-1, 1);
      const double y = lung.cy + lung.b * rng.uniform(-1, 1);
      const double medial = std::clamp(
          1 - std::abs(x - lung.cx + (side == 0 ? -1 : 1) * lung.a) / (2 * lung.a), 0.0, 1.0);
      // Vessels taper from the hilum to the periphery.
      const double r = rng.uniform(0.004, 0.008) + 0.007 * medial;
      if (!deepInLung(x, y, r + 0.012) || !clearOfTubes(x, y, r)) continue;
      vessels_.push_back(Disc{x, y, r});
      ++i;
    }
  }

  double rotation_ = 0, offsetX_ = 0, offsetY_ = 0, cosR_ = 1, sinR_ = 0;
  Ellipse body_, innerFat_, cavity_, heart_, spinous_, sternum_;
  std::array<Ellipse, 2> lungs_;
  Disc vertebra_, canal_, aorta_;
  std::vector<Disc> ribs_, vessels_, airwaysBody_;
};

/// Exact Euclidean distance (in pixels) from each nonzero pixel to the nearest zero pixel:
/// an exact row scan, then Felzenszwalb's lower envelope down the columns. Everything is integer
/// or exactly representable, so every machine gets the same result.
cv::Mat distanceToZero(const cv::Mat& lung) {
  const int n = lung.rows;
  const double far = 4.0 * n * n;
  cv::Mat rowDist2(n, n, CV_64F);
  for (int y = 0; y < n; ++y) {
    const std::uint8_t* in = lung.ptr<std::uint8_t>(y);
    double* out = rowDist2.ptr<double>(y);
    double last = -far;
    for (int x = 0; x < n; ++x) {
      if (in[x] == 0) last = x;
      out[x] = x - last;
    }
    last = 2.0 * far;
    for (int x = n - 1; x >= 0; --x) {
      if (in[x] == 0) last = x;
      out[x] = std::min(out[x], last - x);
      out[x] = std::min(out[x] * out[x], far);
    }
  }
  cv::Mat depth(n, n, CV_32F);
  std::vector<double> f(n), z(n + 1);
  std::vector<int> v(n);
  for (int x = 0; x < n; ++x) {
    for (int y = 0; y < n; ++y)
      f[y] = rowDist2.at<double>(y, x);
    // far exceeds every intersection of these parabolas, so it serves as infinity.
    int k = 0;
    v[0] = 0;
    z[0] = -far;
    z[1] = far;
    for (int q = 1; q < n; ++q) {
      double s = 0;
      while (true) {
        const int p = v[k];
        s = ((f[q] + 1.0 * q * q) - (f[p] + 1.0 * p * p)) / (2.0 * q - 2.0 * p);
        if (s > z[k]) break;
        --k;
      }
      ++k;
      v[k] = q;
      z[k] = s;
      z[k + 1] = far;
    }
    k = 0;
    for (int q = 0; q < n; ++q) {
      while (z[k + 1] < q)
        ++k;
      const double d2 = (q - v[k]) * 1.0 * (q - v[k]) + f[v[k]];
      depth.at<float>(q, x) = static_cast<float>(std::sqrt(d2));
    }
  }
  return depth;
}

Anatomy buildAnatomy(std::uint64_t seed, int size) {
  // The anatomy is drawn from the seed alone: the same patient at every size.
  Rng rng(streamSeed({seed, kAnatomyStream}));
  const Shapes shapes(rng);
  Anatomy a;
  a.size = size;
  a.hu.create(size, size, CV_32F);
  a.tissue.create(size, size, CV_8U);
  a.lung = cv::Mat::zeros(size, size, CV_8U);
  cv::Mat cavity = cv::Mat::zeros(size, size, CV_8U);
  const double pixel = 1.0 / size;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const auto [bx, by] = shapes.toBody((x + 0.5) * pixel - 0.5, (y + 0.5) * pixel - 0.5);
      const auto [tissue, hu] = shapes.tissueAt(bx, by, pixel);
      a.tissue.at<std::uint8_t>(y, x) = tissue;
      a.hu.at<float>(y, x) = static_cast<float>(hu);
      cavity.at<std::uint8_t>(y, x) = shapes.inCavity(bx, by) ? 1 : 0;
      if (tissue == kLung || tissue == kVessel || tissue == kAirwayWall || tissue == kAirwayLumen)
        a.lung.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(shapes.lungAt(bx, by));
    }
  }
  a.depth = distanceToZero(a.lung);
  a.costal = distanceToZero(cavity);

  std::array<int, 2> minX{size, size}, maxX{-1, -1}, minY{size, size}, maxY{-1, -1};
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const int side = a.lung.at<std::uint8_t>(y, x) - 1;
      if (side < 0) continue;
      ++a.lungPixels;
      minX[side] = std::min(minX[side], x);
      maxX[side] = std::max(maxX[side], x);
      minY[side] = std::min(minY[side], y);
      maxY[side] = std::max(maxY[side], y);
    }
  }
  for (int side = 0; side < 2; ++side)
    a.box[side] = maxX[side] < 0 ? cv::Rect()
                                 : cv::Rect(minX[side], minY[side], maxX[side] - minX[side] + 1,
                                            maxY[side] - minY[side] + 1);
  a.vPos = cv::Mat::zeros(size, size, CV_32F);
  a.lateral = cv::Mat::zeros(size, size, CV_32F);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const int side = a.lung.at<std::uint8_t>(y, x) - 1;
      if (side < 0) continue;
      const cv::Rect& box = a.box[side];
      a.vPos.at<float>(y, x) = static_cast<float>((y + 0.5 - box.y) / box.height);
      const double fromLeft = (x + 0.5 - box.x) / box.width;
      a.lateral.at<float>(y, x) = static_cast<float>(side == 0 ? 1 - fromLeft : fromLeft);
    }
  }

  // Airway centres in pixels, for the patterns that follow the bronchi.
  for (const Disc& d : shapes.airways()) {
    // Inverse of toBody: rotate back, then undo the offset.
    const double ix = shapes.cosR() * d.x - shapes.sinR() * d.y + shapes.offsetX();
    const double iy = shapes.sinR() * d.x + shapes.cosR() * d.y + shapes.offsetY();
    a.airways.push_back(Disc{(ix + 0.5) * size, (iy + 0.5) * size, (d.r + 0.004) * size + 0.7});
  }
  return a;
}

cv::Mat noiseField(std::uint64_t seed, int size) {
  Rng rng(streamSeed({seed, static_cast<std::uint64_t>(size), kNoiseStream}));
  cv::Mat noise(size, size, CV_32F);
  for (int y = 0; y < size; ++y) {
    float* row = noise.ptr<float>(y);
    for (int x = 0; x < size; ++x)
      row[x] = static_cast<float>(kNoiseSigmaHu * rng.normal());
  }
  return noise;
}

cv::Mat addNoise(const cv::Mat& hu, const cv::Mat& noise) {
  cv::Mat out(hu.size(), CV_32F);
  for (int y = 0; y < hu.rows; ++y) {
    const float* h = hu.ptr<float>(y);
    const float* n = noise.ptr<float>(y);
    float* o = out.ptr<float>(y);
    for (int x = 0; x < hu.cols; ++x)
      o[x] = static_cast<float>(std::clamp(static_cast<double>(h[x]) + n[x], kMinHu, kMaxHu));
  }
  return out;
}

/// Smooth value noise in [0, 1] on a cells x cells lattice over the image.
class SmoothNoise {
 public:
  SmoothNoise(Rng& rng, int cells) : cells_(cells), values_((cells + 1) * (cells + 1)) {
    for (double& v : values_)
      v = rng.uniform();
  }
  /// u, v in [0, 1] across the image.
  double at(double u, double v) const {
    const double fx = std::clamp(u, 0.0, 1.0) * cells_;
    const double fy = std::clamp(v, 0.0, 1.0) * cells_;
    const int ix = std::min(cells_ - 1, static_cast<int>(fx));
    const int iy = std::min(cells_ - 1, static_cast<int>(fy));
    const double tx = smooth(fx - ix);
    const double ty = smooth(fy - iy);
    const auto value = [&](int i, int j) { return values_[j * (cells_ + 1) + i]; };
    const double top = value(ix, iy) + (value(ix + 1, iy) - value(ix, iy)) * tx;
    const double bottom = value(ix, iy + 1) + (value(ix + 1, iy + 1) - value(ix, iy + 1)) * tx;
    return top + (bottom - top) * ty;
  }

 private:
  static double smooth(double t) { return t * t * (3 - 2 * t); }
  int cells_;
  std::vector<double> values_;
};

/// Jittered-grid Voronoi cells in pixel units: walls where the two nearest centres are about
/// equally far, nodules where one centre is near.
class Cells {
 public:
  struct Hit {
    double d1 = 0;     // to the nearest centre
    double d2 = 0;     // to the second nearest
    double value = 0;  // a uniform number attached to the nearest cell
    double cx = 0, cy = 0;
  };

  Cells(Rng& rng, int size, double spacing)
      : spacing_(spacing), n_(static_cast<int>(size / spacing) + 3), centres_(n_ * n_) {
    for (int j = 0; j < n_; ++j) {
      for (int i = 0; i < n_; ++i) {
        Centre& c = centres_[j * n_ + i];
        c.x = (i - 1 + rng.uniform(0.15, 0.85)) * spacing;
        c.y = (j - 1 + rng.uniform(0.15, 0.85)) * spacing;
        c.value = rng.uniform();
      }
    }
  }

  Hit at(double x, double y) const {
    const int ci = static_cast<int>(std::floor(x / spacing_)) + 1;
    const int cj = static_cast<int>(std::floor(y / spacing_)) + 1;
    Hit hit;
    hit.d1 = hit.d2 = std::numeric_limits<double>::max();
    for (int j = std::max(0, cj - 2); j <= std::min(n_ - 1, cj + 2); ++j) {
      for (int i = std::max(0, ci - 2); i <= std::min(n_ - 1, ci + 2); ++i) {
        const Centre& c = centres_[j * n_ + i];
        const double d = std::sqrt((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y));
        if (d < hit.d1) {
          hit.d2 = hit.d1;
          hit.d1 = d;
          hit.value = c.value;
          hit.cx = c.x;
          hit.cy = c.y;
        } else if (d < hit.d2) {
          hit.d2 = d;
        }
      }
    }
    return hit;
  }

  /// On a wall of half-width `halfWidth` pixels between two cells.
  bool onWall(const Hit& hit, double halfWidth) const { return hit.d2 - hit.d1 < 2 * halfWidth; }

 private:
  struct Centre {
    double x = 0, y = 0, value = 0;
  };
  double spacing_;
  int n_;
  std::vector<Centre> centres_;
};

double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
  const double dx = bx - ax;
  const double dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  const double t = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0;
  const double qx = ax + t * dx - px;
  const double qy = ay + t * dy - py;
  return std::sqrt(qx * qx + qy * qy);
}

/// One aerated lung pixel and where it lies.
struct LungPixel {
  int x = 0, y = 0;
  int side = 0;         // 0 image-left lung, 1 image-right lung
  double u = 0, v = 0;  // (x, y) in [0, 1] across the image
  double vPos = 0;      // 0 anterior .. 1 posterior within its lung
  double lateral = 0;   // 0 medial .. 1 lateral within its lung
  double depth = 0;     // pixels to the pleura
  double costal = 0;    // pixels to the chest wall
};

/// The lesion being drawn: only aerated parenchyma can change, so vessels and airways stay
/// visible through the texture, and the lesion never leaves the lungs.
class Canvas {
 public:
  explicit Canvas(const Anatomy& anatomy) : a_(anatomy), hu_(anatomy.hu.clone()) {}

  template <typename F>
  void forEachLungPixel(F&& f) const {
    const double inv = 1.0 / a_.size;
    for (int y = 0; y < a_.size; ++y) {
      for (int x = 0; x < a_.size; ++x) {
        if (a_.tissue.at<std::uint8_t>(y, x) != kLung) continue;
        LungPixel p;
        p.x = x;
        p.y = y;
        p.side = a_.lung.at<std::uint8_t>(y, x) - 1;
        p.u = (x + 0.5) * inv;
        p.v = (y + 0.5) * inv;
        p.vPos = a_.vPos.at<float>(y, x);
        p.lateral = a_.lateral.at<float>(y, x);
        p.depth = a_.depth.at<float>(y, x);
        p.costal = a_.costal.at<float>(y, x);
        f(p);
      }
    }
  }

  void paint(const LungPixel& p, double hu) {
    const float base = a_.hu.at<float>(p.y, p.x);
    hu_.at<float>(p.y, p.x) =
        std::abs(hu - base) >= kMinLesionContrastHu ? static_cast<float>(hu) : base;
  }

  /// A random aerated pixel meeting `accept`, or nothing after many tries.
  template <typename F>
  std::optional<LungPixel> pick(Rng& rng, F&& accept) const {
    const double inv = 1.0 / a_.size;
    for (int tries = 0; tries < 4000; ++tries) {
      const int x = rng.index(a_.size);
      const int y = rng.index(a_.size);
      if (a_.tissue.at<std::uint8_t>(y, x) != kLung) continue;
      LungPixel p{x,
                  y,
                  a_.lung.at<std::uint8_t>(y, x) - 1,
                  (x + 0.5) * inv,
                  (y + 0.5) * inv,
                  a_.vPos.at<float>(y, x),
                  a_.lateral.at<float>(y, x),
                  a_.depth.at<float>(y, x),
                  a_.costal.at<float>(y, x)};
      if (accept(p)) return p;
    }
    return std::nullopt;
  }

  const Anatomy& anatomy() const { return a_; }
  const cv::Mat& hu() const { return hu_; }
  int size() const { return a_.size; }

 private:
  const Anatomy& a_;
  cv::Mat hu_;
};

std::array<bool, 2> pickSides(Rng& rng, double bothChance) {
  if (rng.chance(bothChance)) return {true, true};
  const int side = rng.index(2);
  return {side == 0, side == 1};
}

/// Clustered thick-walled cysts (honeycombing).
class Honeycomb {
 public:
  Honeycomb(Rng& rng, int size)
      : cells_(rng, size, std::max(3.2, rng.uniform(0.028, 0.038) * size)),
        halfWidth_(std::max(0.55, 0.0035 * size)) {}
  double at(const LungPixel& p) const {
    const Cells::Hit hit = cells_.at(p.x + 0.5, p.y + 0.5);
    return cells_.onWall(hit, halfWidth_) ? kFibroticWallHu : kCystHu;
  }

 private:
  Cells cells_;
  double halfWidth_;
};

/// Ground glass crossed by a fine net of lines (NSIP; crazy paving with other values).
class NetOverGlass {
 public:
  NetOverGlass(Rng& rng, int size, double spacingFraction, double minSpacing, double glassHu,
               double lineHu)
      : cells_(rng, size, std::max(minSpacing, spacingFraction * size)),
        shade_(rng, 7),
        glassHu_(glassHu),
        lineHu_(lineHu) {}
  double at(const LungPixel& p) const {
    const Cells::Hit hit = cells_.at(p.x + 0.5, p.y + 0.5);
    if (cells_.onWall(hit, 0.45)) return lineHu_;
    return glassHu_ + 40 * (shade_.at(p.u, p.v) - 0.5);
  }

 private:
  Cells cells_;
  SmoothNoise shade_;
  double glassHu_, lineHu_;
};

void drawUip(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  const auto sides = pickSides(rng, 0.75);
  const std::array<double, 2> posterior{rng.uniform(0.45, 0.65), rng.uniform(0.45, 0.65)};
  const double band = std::max(3.5, rng.uniform(0.04, 0.065) * size);
  const SmoothNoise patch(rng, 6);
  const Honeycomb honeycomb(rng, size);
  const Cells reticulation(rng, size, std::max(4.0, 0.05 * size));
  canvas.forEachLungPixel([&](const LungPixel& p) {
    if (!sides[p.side]) return;
    const double n = patch.at(p.u, p.v);
    if (p.vPos < posterior[p.side] + 0.2 * (n - 0.5)) return;
    const double width = band * (0.6 + 0.8 * n);
    if (p.costal <= width) {
      canvas.paint(p, honeycomb.at(p));
    } else if (p.costal <= 1.8 * width) {
      const Cells::Hit hit = reticulation.at(p.x + 0.5, p.y + 0.5);
      if (reticulation.onWall(hit, 0.5)) canvas.paint(p, kReticulationHu);
    }
  });
}

void drawNsip(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  const double sparing = std::max(1.0, rng.uniform(0.008, 0.014) * size);
  const double band = std::max(3.0, rng.uniform(0.045, 0.07) * size);
  const std::array<double, 2> posterior{rng.uniform(0.3, 0.5), rng.uniform(0.3, 0.5)};
  const SmoothNoise patch(rng, 5);
  const NetOverGlass texture(rng, size, 0.03, 3.0, kGroundGlassHu, kReticulationHu);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double n = patch.at(p.u, p.v);
    if (p.vPos < posterior[p.side] + 0.2 * (n - 0.5)) return;
    if (p.depth < sparing || p.costal > sparing + band * (0.7 + 0.6 * n)) return;
    canvas.paint(p, texture.at(p));
  });
}

void drawBip(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  const Anatomy& a = canvas.anatomy();
  struct Hub {
    double x, y, r;
  };
  std::vector<Hub> hubs;
  // Bronchiolocentric disease starts at the anatomy's own bronchi when there are any.
  for (const Disc& airway : a.airways)
    if (rng.chance(0.6)) hubs.push_back({airway.x, airway.y, rng.uniform(0.07, 0.1) * size});
  const int extra = (hubs.empty() ? 1 : 0) + rng.index(2);
  for (int i = 0; i < extra; ++i) {
    const auto p = canvas.pick(rng, [&](const LungPixel& q) {
      return q.lateral < 0.5 && q.vPos > 0.25 && q.vPos < 0.8 && q.depth > 0.02 * size;
    });
    if (p) hubs.push_back({p->x + 0.5, p->y + 0.5, rng.uniform(0.07, 0.1) * size});
  }
  struct Ring {
    double x, y, lumen, outer;
  };
  struct Nodule {
    double x, y, r;
  };
  std::vector<Ring> rings;
  std::vector<Nodule> nodules;
  for (const Hub& hub : hubs) {
    const double r = std::max(5.0, hub.r);
    const int ringCount = 2 + rng.index(3);
    for (int i = 0; i < ringCount; ++i) {
      const double lumen = std::max(0.8, rng.uniform(0.006, 0.01) * size);
      const double wall = std::max(1.0, rng.uniform(0.007, 0.011) * size);
      rings.push_back({hub.x + r * rng.uniform(-0.7, 0.7), hub.y + r * rng.uniform(-0.7, 0.7),
                       lumen, lumen + wall});
    }
    const int noduleCount = 12 + rng.index(10);
    for (int i = 0; i < noduleCount; ++i) {
      const double dx = rng.uniform(-1, 1);
      const double dy = rng.uniform(-1, 1);
      if (dx * dx + dy * dy > 1) continue;
      nodules.push_back(
          {hub.x + r * dx, hub.y + r * dy, std::max(1.1, rng.uniform(0.009, 0.016) * size)});
    }
  }
  const SmoothNoise haze(rng, 8);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double px = p.x + 0.5;
    const double py = p.y + 0.5;
    for (const Ring& ring : rings) {
      const double d = std::sqrt((px - ring.x) * (px - ring.x) + (py - ring.y) * (py - ring.y));
      if (d <= ring.lumen) return canvas.paint(p, kCystHu);
      if (d <= ring.outer) return canvas.paint(p, kThickWallHu);
    }
    for (const Nodule& n : nodules) {
      const double d = std::sqrt((px - n.x) * (px - n.x) + (py - n.y) * (py - n.y));
      if (d <= n.r) return canvas.paint(p, kNoduleCoreHu - 280 * (d / n.r) * (d / n.r));
    }
    for (const Disc& airway : a.airways) {
      const double d = airway.distance(px, py);
      if (d <= airway.r + std::max(1.0, 0.012 * size)) {
        for (const Hub& hub : hubs)
          if (std::abs(hub.x - airway.x) + std::abs(hub.y - airway.y) < 1)
            return canvas.paint(p, kThickWallHu);
      }
    }
    for (const Hub& hub : hubs) {
      const double d = std::sqrt((px - hub.x) * (px - hub.x) + (py - hub.y) * (py - hub.y));
      if (d <= 0.7 * hub.r && haze.at(p.u, p.v) > 0.35) return canvas.paint(p, kGroundGlassHu - 60);
    }
  });
}

void drawCop(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  struct Patch {
    double x, y, r;
    std::vector<std::array<double, 4>> bronchi;  // segments
  };
  std::vector<Patch> patches;
  const int count = 1 + rng.index(3);
  for (int i = 0; i < count; ++i) {
    const auto p = canvas.pick(rng, [&](const LungPixel& q) {
      return q.vPos > 0.25 && q.costal > 0.01 * size && q.costal < 0.05 * size;
    });
    if (!p) continue;
    Patch patch{p->x + 0.5, p->y + 0.5, std::max(4.0, rng.uniform(0.06, 0.1) * size), {}};
    // Air bronchograms run from the patch towards the hilum and branch once.
    const cv::Rect& box = canvas.anatomy().box[p->side];
    const double hx = p->side == 0 ? box.x + box.width : box.x;
    const double hy = box.y + 0.45 * box.height;
    double dx = hx - patch.x;
    double dy = hy - patch.y;
    const double len = std::sqrt(dx * dx + dy * dy);
    dx /= len;
    dy /= len;
    const double startX = patch.x - 0.6 * patch.r * dx;
    const double startY = patch.y - 0.6 * patch.r * dy;
    const double endX = patch.x + 0.7 * patch.r * dx;
    const double endY = patch.y + 0.7 * patch.r * dy;
    patch.bronchi.push_back({startX, startY, endX, endY});
    const double k = rng.uniform(0.5, 0.9) * (rng.chance(0.5) ? 1 : -1);
    const double bx = -dx + k * -dy;
    const double by = -dy + k * dx;
    const double blen = std::sqrt(bx * bx + by * by);
    patch.bronchi.push_back({patch.x, patch.y, patch.x + 0.6 * patch.r * bx / blen,
                             patch.y + 0.6 * patch.r * by / blen});
    patches.push_back(std::move(patch));
  }
  const SmoothNoise shape(rng, 9);
  const SmoothNoise shade(rng, 6);
  const double bronchusHalfWidth = std::max(0.6, 0.005 * size);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double px = p.x + 0.5;
    const double py = p.y + 0.5;
    for (const Patch& patch : patches) {
      const double d = std::sqrt((px - patch.x) * (px - patch.x) + (py - patch.y) * (py - patch.y));
      if (d > patch.r * (0.7 + 0.6 * shape.at(p.u, p.v))) continue;
      for (const auto& s : patch.bronchi)
        if (segmentDistance(px, py, s[0], s[1], s[2], s[3]) <= bronchusHalfWidth)
          return canvas.paint(p, kAirBronchogramHu);
      return canvas.paint(p, kConsolidationHu + 30 * (shade.at(p.u, p.v) - 0.5));
    }
  });
}

void drawRbild(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  struct Patch {
    double x, y, r;
  };
  std::vector<Patch> patches;
  const int count = 3 + rng.index(3);
  for (int i = 0; i < count; ++i) {
    const auto p = canvas.pick(
        rng, [&](const LungPixel& q) { return q.depth > 0.02 * size && q.vPos < 0.75; });
    if (p) patches.push_back({p->x + 0.5, p->y + 0.5, rng.uniform(0.08, 0.12) * size});
  }
  const Cells cells(rng, size, std::max(4.5, rng.uniform(0.035, 0.045) * size));
  const double radius = std::max(1.1, 0.014 * size);
  const SmoothNoise shape(rng, 7);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double px = p.x + 0.5;
    const double py = p.y + 0.5;
    const Cells::Hit hit = cells.at(px, py);
    // Centrilobular: a nodule at the centre of most lobules.
    if (hit.value > 0.85 || hit.d1 > radius) return;
    for (const Patch& patch : patches) {
      const double d = std::sqrt((hit.cx - patch.x) * (hit.cx - patch.x) +
                                 (hit.cy - patch.y) * (hit.cy - patch.y));
      if (d <= patch.r * (0.8 + 0.4 * shape.at(p.u, p.v)))
        return canvas.paint(p, kCentrilobularHu - 100 * (hit.d1 / radius));
    }
  });
}

void drawDip(Rng& rng, Canvas& canvas) {
  const std::array<double, 2> posterior{rng.uniform(0.64, 0.76), rng.uniform(0.64, 0.76)};
  const SmoothNoise edge(rng, 5);
  const SmoothNoise shade(rng, 3);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    if (p.vPos < posterior[p.side] + 0.16 * (edge.at(p.u, p.v) - 0.5)) return;
    canvas.paint(p, kFaintGroundGlassHu + 16 * (shade.at(p.u, p.v) - 0.5));
  });
}

void drawPpfe(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  const auto sides = pickSides(rng, 0.6);
  const std::array<double, 2> anterior{rng.uniform(0.3, 0.45), rng.uniform(0.3, 0.45)};
  const double thickness = rng.uniform(0.045, 0.07) * size;
  const SmoothNoise edge(rng, 9);
  const SmoothNoise shade(rng, 6);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    if (!sides[p.side] || p.vPos > anterior[p.side]) return;
    // A wedge: thickest at the apex of the lung, tapering down the pleura.
    const double taper = 1 - p.vPos / anterior[p.side];
    const double width = std::max(1.5, thickness * taper * (0.6 + 0.8 * edge.at(p.u, p.v)));
    if (p.costal > width) return;
    canvas.paint(p, kPleuralFibrosisHu + 40 * (shade.at(p.u, p.v) - 0.5));
  });
}

void drawAip(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  const std::array<double, 2> glass{rng.uniform(0.56, 0.68), rng.uniform(0.56, 0.68)};
  const double consolidation = rng.uniform(0.2, 0.28);
  const SmoothNoise edge(rng, 5);
  const NetOverGlass paving(rng, size, 0.055, 5.0, kGroundGlassHu + 40, kSeptalLineHu);
  const SmoothNoise shade(rng, 6);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double n = edge.at(p.u, p.v);
    const double start = glass[p.side] + 0.16 * (n - 0.5);
    if (p.vPos < start) return;
    // Dependent lung collapses first: consolidation at the back.
    if (p.vPos > start + consolidation + 0.1 * (shade.at(p.u, p.v) - 0.5))
      return canvas.paint(p, kPleuralFibrosisHu + 30 * (shade.at(p.u, p.v) - 0.5));
    canvas.paint(p, paving.at(p));
  });
}

void drawUnclassifiable(Rng& rng, Canvas& canvas) {
  const int size = canvas.size();
  // Two of four textures in irregular regions: the mix is what makes it unclassifiable.
  const int first = rng.index(4);
  const int second = (first + 1 + rng.index(3)) % 4;
  const Honeycomb honeycomb(rng, size);
  const NetOverGlass net(rng, size, 0.03, 3.0, kGroundGlassHu, kReticulationHu);
  const SmoothNoise shade(rng, 6);
  const auto texture = [&](int which, const LungPixel& p) {
    switch (which) {
      case 0:
        return honeycomb.at(p);
      case 1:
        return net.at(p);
      case 2:
        return kConsolidationHu + 30 * (shade.at(p.u, p.v) - 0.5);
      default:
        return kFaintGroundGlassHu + 30 * (shade.at(p.u, p.v) - 0.5);
    }
  };
  struct Blob {
    double x, y, r;
  };
  std::vector<Blob> blobs;
  const int count = 1 + rng.index(2);
  for (int i = 0; i < count; ++i) {
    const auto p = canvas.pick(rng, [&](const LungPixel& q) { return q.depth > 0.02 * size; });
    if (p) blobs.push_back({p->x + 0.5, p->y + 0.5, rng.uniform(0.08, 0.12) * size});
  }
  const SmoothNoise shape(rng, 8);
  const SmoothNoise split(rng, 10);
  canvas.forEachLungPixel([&](const LungPixel& p) {
    const double px = p.x + 0.5;
    const double py = p.y + 0.5;
    for (const Blob& blob : blobs) {
      const double d = std::sqrt((px - blob.x) * (px - blob.x) + (py - blob.y) * (py - blob.y));
      if (d <= blob.r * (0.6 + 0.8 * shape.at(p.u, p.v)))
        return canvas.paint(p, texture(split.at(p.u, p.v) < 0.5 ? first : second, p));
    }
  });
}

void drawPattern(int label, Rng& rng, Canvas& canvas) {
  switch (label) {
    case 1:
      return drawUip(rng, canvas);
    case 2:
      return drawNsip(rng, canvas);
    case 3:
      return drawBip(rng, canvas);
    case 4:
      return drawCop(rng, canvas);
    case 5:
      return drawRbild(rng, canvas);
    case 6:
      return drawDip(rng, canvas);
    case 7:
      return drawPpfe(rng, canvas);
    case 8:
      return drawAip(rng, canvas);
    case 9:
      return drawUnclassifiable(rng, canvas);
    default:
      return;
  }
}

void validate(int label, int size) {
  if (label < 0 || label >= kPhantomClassCount)
    throw std::invalid_argument("phantom label must be 0.." +
                                std::to_string(kPhantomClassCount - 1) + ", got " +
                                std::to_string(label));
  if (size < kMinSize || size > kMaxSize)
    throw std::invalid_argument("phantom size must be " + std::to_string(kMinSize) + ".." +
                                std::to_string(kMaxSize) + " pixels, got " + std::to_string(size));
}

[[noreturn]] void writeFailed(const fs::path& path, const std::string& reason) {
  throw Error("cannot write '" + path.string() + "': " + reason);
}

void createFolder(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) writeFailed(path, error.message());
  if (!fs::is_directory(path)) writeFailed(path, "it exists and is not a folder");
}

/// Stored = HU + 1024, rounded half up like the DICOM writer.
cv::Mat toStored16(const cv::Mat& hu) {
  cv::Mat out(hu.size(), CV_16U);
  for (int y = 0; y < hu.rows; ++y) {
    const float* in = hu.ptr<float>(y);
    std::uint16_t* o = out.ptr<std::uint16_t>(y);
    for (int x = 0; x < hu.cols; ++x)
      o[x] = static_cast<std::uint16_t>(
          std::clamp(std::floor(static_cast<double>(in[x]) + 0.5) - kMinHu, 0.0, 65535.0));
  }
  return out;
}

/// Each label count/10 times; the remainder goes to labels the seed picks, and the order is a
/// seeded Fisher-Yates shuffle (std::shuffle differs between standard libraries).
std::vector<int> balancedLabels(int count, Rng& rng) {
  std::array<int, kPhantomClassCount> order{};
  for (int i = 0; i < kPhantomClassCount; ++i)
    order[i] = i;
  for (int i = kPhantomClassCount - 1; i > 0; --i)
    std::swap(order[i], order[rng.index(i + 1)]);
  std::vector<int> labels;
  labels.reserve(count);
  for (int i = 0; i < count; ++i)
    labels.push_back(order[i % kPhantomClassCount]);
  for (int i = count - 1; i > 0; --i)
    std::swap(labels[i], labels[rng.index(i + 1)]);
  return labels;
}

std::string sliceName(int number, int digits) {
  std::string n = std::to_string(number);
  if (static_cast<int>(n.size()) < digits) n.insert(0, digits - n.size(), '0');
  return "phantom_" + n;
}

}  // namespace

PhantomSlice generatePhantomSlice(int label, std::uint64_t seed, int size) {
  validate(label, size);
  const Anatomy anatomy = buildAnatomy(seed, size);
  // Noise belongs to the patient, not the pattern: a lesion slice differs from the same seed's
  // normal slice exactly on its mask.
  const cv::Mat noise = noiseField(seed, size);
  const cv::Mat normal = addNoise(anatomy.hu, noise);

  PhantomSlice slice;
  slice.label = label;
  if (label == 0) {
    slice.hu = normal;
    slice.lesionMask = cv::Mat::zeros(size, size, CV_8U);
    return slice;
  }
  const double maxShare = label == 6 || label == 8 ? kMaxDiffuseLesionShare : kMaxLesionShare;
  Rng rng(streamSeed(
      {seed, static_cast<std::uint64_t>(label), static_cast<std::uint64_t>(size), kLesionStream}));
  for (int attempt = 0; attempt < kMaxLesionAttempts; ++attempt) {
    Canvas canvas(anatomy);
    drawPattern(label, rng, canvas);
    slice.hu = addNoise(canvas.hu(), noise);
    cv::compare(slice.hu, normal, slice.lesionMask, cv::CMP_NE);
    const double share =
        static_cast<double>(cv::countNonZero(slice.lesionMask)) / std::max(1, anatomy.lungPixels);
    if (share >= kMinLesionShare && share <= maxShare) break;
  }
  return slice;
}

std::vector<PhantomSetEntry> writePhantomSet(const fs::path& dir, const PhantomSetOptions& options,
                                             ProgressDelegate* progress) {
  if (options.count < 1)
    throw std::invalid_argument("a phantom set needs at least one slice, got " +
                                std::to_string(options.count));
  validate(0, options.size);

  createFolder(dir / "images");
  createFolder(dir / "masks");
  if (options.writeDicom) createFolder(dir / "dicom");
  // A labels.csv from an earlier run would name images this run is about to replace.
  const fs::path labelsPath = dir / "labels.csv";
  std::error_code error;
  fs::remove(labelsPath, error);
  if (error) writeFailed(labelsPath, "cannot remove the old file: " + error.message());

  Rng rng(streamSeed({options.seed, kSetStream}));
  const std::vector<int> labels = balancedLabels(options.count, rng);
  const int digits = std::max(4, static_cast<int>(std::to_string(options.count).size()));
  const double spacing = kFieldOfViewMm / options.size;

  std::vector<PhantomSetEntry> entries;
  entries.reserve(labels.size());
  DicomSlicePlace dicomPlace = options.writeDicom ? newDicomSeries() : DicomSlicePlace{};
  std::string csv = "file,label\n";
  for (int i = 0; i < options.count; ++i) {
    const std::string name = sliceName(i + 1, digits);
    const std::uint64_t sliceSeed =
        streamSeed({options.seed, static_cast<std::uint64_t>(i), kSetStream});
    const PhantomSlice slice = generatePhantomSlice(labels[i], sliceSeed, options.size);

    PhantomSetEntry entry{"images/" + name + ".png", "masks/" + name + ".png", labels[i]};
    writeImageFile(dir / entry.file, toStored16(slice.hu));
    writeImageFile(dir / entry.maskFile, slice.lesionMask);
    if (options.writeDicom) {
      // One series, a slice every 5 mm from the head down, in the order of the names.
      dicomPlace.instanceNumber = i + 1;
      dicomPlace.zMm = -5.0 * i;
      writeCtDicom(dir / "dicom" / (name + ".dcm"), slice.hu, spacing, kLungWindow, dicomPlace);
    }
    csv += entry.file + "," + std::to_string(entry.label) + "\n";
    entries.push_back(std::move(entry));
    reportProgress(progress, i + 1, options.count, "writing phantom slices");
  }
  writeFileAtomically(labelsPath, csv);
  return entries;
}

}  // namespace camlabel::imaging
