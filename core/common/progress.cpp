// SPDX-License-Identifier: Apache-2.0
#include "core/common/progress.h"

namespace camlabel {

void reportProgress(ProgressDelegate* delegate, long done, long total, std::string_view message) {
  if (delegate == nullptr) return;
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  if (!delegate->update(fraction, message)) throw Cancelled();
}

}  // namespace camlabel
