// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "core/imaging/ct_image.h"

namespace camlabel::learning {

/// Light augmentation that respects anatomy. A CT slice has a fixed orientation (the patient's
/// left is on the image's right, the heart sits left of the midline) and some patterns are
/// defined by where they lie (UIP/P and PPFE are basal/apical and subpleural), so nothing here
/// mirrors or turns the image far: small shifts, scale and rotation, and jitter of the window
/// the radiologist would use. No left-right flip.
struct AugmentOptions {
  double maxShift = 0.06;         ///< of the side, each axis
  double maxScale = 0.08;         ///< zoom in [1 - s, 1 + s]
  double maxRotationDegrees = 8;  ///< either way
  double maxCenterShift = 0.04;   ///< window centre jitter, as a share of the width
  double maxWidthScale = 0.15;    ///< window width in [1 - s, 1 + s] x width
  bool enabled = true;
};

/// One drawn set of parameters.
struct AugmentParams {
  double shiftX = 0, shiftY = 0;  ///< fraction of the side
  double scale = 1;
  double rotationDegrees = 0;
  double centerShift = 0;  ///< share of the window width
  double widthScale = 1;
  bool identity() const {
    return shiftX == 0 && shiftY == 0 && scale == 1 && rotationDegrees == 0 && centerShift == 0 &&
           widthScale == 1;
  }
};

/// Parameters for view `view` of an image: a pure function of (seed, imageId, view), so a view
/// can be cached and recomputed identically. View 0 is always the identity (the image as shown).
AugmentParams drawAugmentation(const AugmentOptions& options, std::uint64_t seed,
                               std::int64_t imageId, int view);

/// The image resampled by the geometric part of params (bilinear, about the centre; new pixels
/// take the image's minimum value, i.e. air); the info is kept.
imaging::CtImage augmentGeometry(const imaging::CtImage& image, const AugmentParams& params);

/// The window jittered by params.
imaging::Window augmentWindow(imaging::Window window, const AugmentParams& params);

}  // namespace camlabel::learning
