// SPDX-License-Identifier: Apache-2.0
#include "core/model/input_tensor.h"

#include <ATen/ATen.h>

namespace camlabel::model {

at::Tensor toInputTensor(const imaging::ModelInput& input) {
  TORCH_CHECK(
      input.chw.size() == static_cast<std::size_t>(input.channels) * input.height * input.width,
      "model input size does not match its shape");
  return at::from_blob(const_cast<float*>(input.chw.data()),
                       {1, input.channels, input.height, input.width}, at::kFloat)
      .clone();
}

at::Tensor modelInput(const imaging::CtImage& image, const imaging::ModelInputSpec& spec,
                      std::optional<imaging::Window> window, c10::Device device) {
  const at::Tensor x = toInputTensor(imaging::preprocessForModel(
      image, window.value_or(imaging::defaultWindow(image.info)), spec));
  return device.is_cpu() ? x : x.to(device);
}

}  // namespace camlabel::model
