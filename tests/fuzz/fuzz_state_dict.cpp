// SPDX-License-Identifier: Apache-2.0
// A weights file (.pth) as a user might be given one: refused with InputError, or read into
// tensors that each lie inside their storage. Python's own loader runs code from such a file;
// camlabel's reader must not even crash on one.

#include <ATen/core/Tensor.h>

#include "core/common/error.h"
#include "core/model/state_dict_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  const auto file = fuzz::asFile(data, size, ".pth");
  try {
    const model::StateDict dict = model::readStateDict(file);
    for (const auto& [name, tensor] : dict) {
      if (!tensor.defined()) fuzz::finding("an undefined tensor was returned for " + name);
      if (tensor.numel() == 0) continue;
      // The last element a view reaches must lie inside its storage.
      std::int64_t last = tensor.storage_offset();
      for (std::int64_t d = 0; d < tensor.dim(); ++d) {
        if (tensor.stride(d) < 0) fuzz::finding("a negative stride was accepted for " + name);
        last += (tensor.size(d) - 1) * tensor.stride(d);
      }
      const auto bytes = static_cast<std::int64_t>(tensor.storage().nbytes());
      if ((last + 1) * static_cast<std::int64_t>(tensor.element_size()) > bytes)
        fuzz::finding("a tensor reaching past its storage was accepted: " + name);
    }
  } catch (const InputError&) {
  }
  return 0;
}
