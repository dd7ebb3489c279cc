// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace camlabel {

/// Progress and cancellation across layers without Qt (the UI implements it, core calls it).
/// update() may be called from any thread; an implementation that touches widgets must
/// forward to the GUI thread itself.
class ProgressDelegate {
 public:
  virtual ~ProgressDelegate() = default;
  /// fraction in [0, 1]; returns false when the user asked to cancel.
  virtual bool update(double fraction, std::string_view message) = 0;
};

/// A sub-task's progress as a part of its parent's: the sub-task's [0, 1] maps onto [from, to]
/// of the parent's (which may be null); the parent's answer (cancel or go on) passes through.
class ProgressRange : public ProgressDelegate {
 public:
  ProgressRange(ProgressDelegate* parent, double from, double to)
      : parent_(parent), from_(from), to_(to) {}
  bool update(double fraction, std::string_view message) override {
    return parent_ == nullptr || parent_->update(from_ + (to_ - from_) * fraction, message);
  }

 private:
  ProgressDelegate* parent_;
  double from_;
  double to_;
};

/// Thrown by long operations when their ProgressDelegate asked to cancel.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled by the user"; }
};

/// Reports done/total to a delegate (which may be null) and throws Cancelled when asked to.
void reportProgress(ProgressDelegate* delegate, long done, long total, std::string_view message);

}  // namespace camlabel
