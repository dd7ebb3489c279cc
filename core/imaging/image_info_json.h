// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// ImageInfo as JSON for `camlabel-cli info --json` and exports. It holds technical facts only:
/// no DICOM element that could identify a patient is ever read, so none can be written.
nlohmann::json toJson(const ImageInfo& info);

/// The same facts as aligned "key: value" lines for people.
std::string toText(const ImageInfo& info);

}  // namespace camlabel::imaging
