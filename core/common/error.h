// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

namespace camlabel {

/// Base of every error camlabel reports to a user. what() is a complete sentence that names
/// the thing that failed and why, fit to show in a dialog or print on stderr.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An input file (image, DICOM, weights, scheme, ...) that cannot be used.
class InputError : public Error {
 public:
  InputError(std::string path, std::string reason)
      : Error("cannot read '" + path + "': " + reason),
        path_(std::move(path)),
        reason_(std::move(reason)) {}

  const std::string& path() const noexcept { return path_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

}  // namespace camlabel
