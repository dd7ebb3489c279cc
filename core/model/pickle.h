// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/model: a small, bounded unpickler for the subset of Python's pickle protocol 2
// that torch.save writes for a state_dict. Include only where tensors are used.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace camlabel::model::pickle {

/// Thrown for any pickle this reader will not accept; what() says why and where (byte offset).
class PickleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// One unpickled object. Containers hold shared pointers because the memo aliases them.
struct Value {
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kBigInt,
    kFloat,
    kString,
    kTuple,
    kList,
    kDict,
    kGlobal,
    kTensor
  };
  Kind kind = Kind::kNone;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0.0;
  std::string text;             // kString; kGlobal as "module.name"; kBigInt as little-endian bytes
  std::vector<ValuePtr> items;  // kTuple, kList
  std::vector<std::pair<ValuePtr, ValuePtr>> entries;  // kDict, in insertion order
  at::Tensor tensor;                                   // kTensor

  Value() = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  // Releases children iteratively: a crafted pickle may nest far deeper than the stack allows.
  ~Value();

  static ValuePtr make(Kind kind);
  static ValuePtr makeInt(std::int64_t value);
  static ValuePtr makeString(std::string value);
  static ValuePtr makeTensor(at::Tensor value);
  bool isInt() const { return kind == Kind::kInt; }
  bool isString() const { return kind == Kind::kString; }
  bool isTuple() const { return kind == Kind::kTuple; }
};

/// What the caller decides for the parts of a pickle that name Python code.
struct Hooks {
  /// Whether GLOBAL module.name may appear; anything else is refused before it is used.
  std::function<bool(const std::string& module, const std::string& name)> allowGlobal;
  /// Resolves a BINPERSID id (for torch files, a storage reference) to a value.
  std::function<ValuePtr(const Value& id)> persistentLoad;
  /// Applies an allowed global (other than collections.OrderedDict) to its argument tuple.
  std::function<ValuePtr(const std::string& global, const Value& args)> reduce;
};

/// The unpickled object. It owns every container the pickle built: destroying the Result empties
/// them all, so that reference cycles a crafted pickle makes through the memo are not leaked. Keep
/// it alive while using `value`.
struct Result {
  ValuePtr value;
  std::size_t consumed = 0;  // bytes read, STOP included
  std::vector<ValuePtr> containers;

  Result() = default;
  Result(Result&&) = default;
  Result& operator=(Result&&) = default;
  ~Result();
};

/// Unpickles one object from the start of `data`. Every read is bounded by data.size(); an
/// unknown opcode, a refused GLOBAL, a malformed stack or a truncated stream throws PickleError.
/// Exceptions thrown by the hooks pass through unchanged.
Result unpickle(std::string_view data, const Hooks& hooks);

}  // namespace camlabel::model::pickle
