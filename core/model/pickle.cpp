// SPDX-License-Identifier: Apache-2.0
#include "core/model/pickle.h"

#include <cstring>
#include <unordered_map>

namespace camlabel::model::pickle {

namespace {

// C++17 is enough here (no std::endian, no std::bit_cast): the fuzz target builds this file with
// clang 14, which takes LibTorch 1.13's headers only in C++17 mode (tests/fuzz/CMakeLists.txt).
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the pickle reader assumes little-endian");

// Opcodes of pickle protocols 2 and 4 that torch.save's state_dict pickles use, and a few
// harmless neighbours. Anything else is refused.
enum Op : unsigned char {
  kMark = '(',
  kStop = '.',
  kBinFloat = 'G',
  kBinInt = 'J',
  kBinInt1 = 'K',
  kBinInt2 = 'M',
  kNone = 'N',
  kBinPersId = 'Q',
  kReduce = 'R',
  kBinUnicode = 'X',
  kEmptyList = ']',
  kAppend = 'a',
  kBuild = 'b',
  kGlobal = 'c',
  kAppends = 'e',
  kBinGet = 'h',
  kLongBinGet = 'j',
  kEmptyDict = '}',
  kBinPut = 'q',
  kLongBinPut = 'r',
  kSetItem = 's',
  kTuple = 't',
  kSetItems = 'u',
  kEmptyTuple = ')',
  kProto = 0x80,
  kTuple1 = 0x85,
  kTuple2 = 0x86,
  kTuple3 = 0x87,
  kNewTrue = 0x88,
  kNewFalse = 0x89,
  kLong1 = 0x8a,
  kShortBinUnicode = 0x8c,
  kBinUnicode8 = 0x8d,
  kMemoize = 0x94,
  kFrame = 0x95,
};

std::string hex(unsigned value) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[(value >> 4) & 0xf] + digits[value & 0xf];
}

class Reader {
 public:
  Reader(std::string_view data, const Hooks& hooks) : data_(data), hooks_(hooks) {}

  Result run() {
    while (true) {
      const std::size_t at = pos_;
      const unsigned char op = u8();
      switch (op) {
        case kProto: {
          const unsigned version = u8();
          if (version < 2 || version > 5) {
            fail(at, "unsupported pickle protocol " + std::to_string(version));
          }
          break;
        }
        case kFrame:
          take(8);  // frame length: the data is read in place anyway
          break;
        case kStop: {
          if (stack_.size() != 1 || !marks_.empty()) {
            fail(at, "malformed pickle: unbalanced stack at STOP");
          }
          Result result;
          result.value = stack_.back();
          result.consumed = pos_;
          result.containers = std::move(containers_);
          return result;
        }
        case kMark:
          marks_.push_back(stack_.size());
          break;
        case kNone:
          push(Value::make(Value::Kind::kNone));
          break;
        case kNewTrue:
        case kNewFalse: {
          auto v = Value::make(Value::Kind::kBool);
          v->boolean = op == kNewTrue;
          push(v);
          break;
        }
        case kBinInt: {
          std::int32_t v;
          std::memcpy(&v, take(4), 4);
          push(Value::makeInt(v));
          break;
        }
        case kBinInt1:
          push(Value::makeInt(u8()));
          break;
        case kBinInt2: {
          std::uint16_t v;
          std::memcpy(&v, take(2), 2);
          push(Value::makeInt(v));
          break;
        }
        case kLong1:
          push(long1());
          break;
        case kBinFloat: {
          std::uint64_t bits;
          std::memcpy(&bits, take(8), 8);
          bits = __builtin_bswap64(bits);  // big-endian on the wire
          auto v = Value::make(Value::Kind::kFloat);
          std::memcpy(&v->real, &bits, 8);
          push(v);
          break;
        }
        case kBinUnicode: {
          std::uint32_t n;
          std::memcpy(&n, take(4), 4);
          push(Value::makeString(std::string(take(n), n)));
          break;
        }
        case kBinUnicode8: {
          std::uint64_t n;
          std::memcpy(&n, take(8), 8);
          push(Value::makeString(std::string(take(n), n)));
          break;
        }
        case kShortBinUnicode: {
          const std::size_t n = u8();
          push(Value::makeString(std::string(take(n), n)));
          break;
        }
        case kEmptyTuple:
          push(Value::make(Value::Kind::kTuple));
          break;
        case kTuple1:
        case kTuple2:
        case kTuple3: {
          const std::size_t n = op - kTuple1 + 1;
          if (stack_.size() < floor() + n) fail(at, "malformed pickle: TUPLE on a short stack");
          auto v = Value::make(Value::Kind::kTuple);
          v->items.assign(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
          stack_.resize(stack_.size() - n);
          push(v);
          break;
        }
        case kTuple: {
          auto v = Value::make(Value::Kind::kTuple);
          v->items = popToMark(at);
          push(v);
          break;
        }
        case kEmptyList:
          push(Value::make(Value::Kind::kList));
          break;
        case kEmptyDict:
          push(Value::make(Value::Kind::kDict));
          break;
        case kAppend: {
          auto item = pop(at);
          container(at, Value::Kind::kList)->items.push_back(std::move(item));
          break;
        }
        case kAppends: {
          auto items = popToMark(at);
          auto& list = container(at, Value::Kind::kList)->items;
          list.insert(list.end(), items.begin(), items.end());
          break;
        }
        case kSetItem: {
          auto value = pop(at);
          auto key = pop(at);
          container(at, Value::Kind::kDict)->entries.emplace_back(std::move(key), std::move(value));
          break;
        }
        case kSetItems: {
          auto items = popToMark(at);
          if (items.size() % 2 != 0) fail(at, "malformed pickle: SETITEMS with an odd count");
          auto& dict = container(at, Value::Kind::kDict)->entries;
          for (std::size_t i = 0; i < items.size(); i += 2) {
            dict.emplace_back(items[i], items[i + 1]);
          }
          break;
        }
        case kBinPut:
          memo(u8(), at);
          break;
        case kLongBinPut: {
          std::uint32_t index;
          std::memcpy(&index, take(4), 4);
          memo(index, at);
          break;
        }
        case kMemoize: {
          const auto index = static_cast<std::uint32_t>(memo_.size());
          memo(index, at);
          break;
        }
        case kBinGet:
          push(recall(u8(), at));
          break;
        case kLongBinGet: {
          std::uint32_t index;
          std::memcpy(&index, take(4), 4);
          push(recall(index, at));
          break;
        }
        case kGlobal: {
          const std::string module = line(at);
          const std::string name = line(at);
          if (!hooks_.allowGlobal || !hooks_.allowGlobal(module, name)) {
            fail(at, "unexpected GLOBAL '" + module + "." + name + "'");
          }
          auto v = Value::make(Value::Kind::kGlobal);
          v->text = module + "." + name;
          push(v);
          break;
        }
        case kBinPersId: {
          auto id = pop(at);
          if (!hooks_.persistentLoad) fail(at, "unexpected persistent id");
          push(hooks_.persistentLoad(*id));
          break;
        }
        case kReduce: {
          auto args = pop(at);
          auto callable = pop(at);
          if (callable->kind != Value::Kind::kGlobal || !args->isTuple()) {
            fail(at, "malformed pickle: REDUCE needs a global and a tuple");
          }
          if (callable->text == "collections.OrderedDict") {
            if (!args->items.empty()) fail(at, "OrderedDict with arguments");
            push(Value::make(Value::Kind::kDict));
          } else {
            if (!hooks_.reduce) fail(at, "unexpected call of '" + callable->text + "'");
            auto result = hooks_.reduce(callable->text, *args);
            if (!result) fail(at, "'" + callable->text + "' gave nothing");
            push(std::move(result));
          }
          break;
        }
        case kBuild: {
          // The only BUILD in a state_dict sets the OrderedDict's _metadata (module versions),
          // which loading weights does not need.
          pop(at);
          if (top(at)->kind != Value::Kind::kDict) fail(at, "BUILD on something other than a dict");
          break;
        }
        default:
          fail(at, "unsupported pickle opcode " + hex(op));
      }
    }
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw PickleError(what + " (at byte " + std::to_string(at) + " of the pickle)");
  }

  const char* take(std::uint64_t n) {
    if (n > data_.size() - pos_) fail(pos_, "the pickle is truncated");
    const char* p = data_.data() + pos_;
    pos_ += static_cast<std::size_t>(n);
    return p;
  }
  unsigned u8() { return static_cast<unsigned char>(*take(1)); }

  std::string line(std::size_t at) {
    const std::size_t end = data_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) fail(at, "malformed GLOBAL");
    std::string s(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }

  ValuePtr long1() {
    const std::size_t n = u8();
    const auto* bytes = reinterpret_cast<const unsigned char*>(take(n));
    if (n > 8) {
      auto v = Value::make(Value::Kind::kBigInt);
      v->text.assign(reinterpret_cast<const char*>(bytes), n);
      return v;
    }
    if (n == 0) return Value::makeInt(0);
    std::uint64_t u = 0;
    for (std::size_t i = 0; i < n; ++i) {
      u |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
    }
    if (n < 8 && (bytes[n - 1] & 0x80) != 0) u |= ~std::uint64_t{0} << (8 * n);  // sign-extend
    return Value::makeInt(static_cast<std::int64_t>(u));
  }

  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  void push(ValuePtr v) {
    if (v->kind == Value::Kind::kTuple || v->kind == Value::Kind::kList ||
        v->kind == Value::Kind::kDict) {
      containers_.push_back(v);
    }
    stack_.push_back(std::move(v));
  }
  ValuePtr pop(std::size_t at) {
    if (stack_.size() <= floor()) fail(at, "malformed pickle: pop from an empty stack");
    auto v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const ValuePtr& top(std::size_t at) const {
    if (stack_.size() <= floor()) fail(at, "malformed pickle: empty stack");
    return stack_.back();
  }
  Value* container(std::size_t at, Value::Kind kind) const {
    const auto& v = top(at);
    if (v->kind != kind) fail(at, "malformed pickle: item added to the wrong kind of object");
    return v.get();
  }
  std::vector<ValuePtr> popToMark(std::size_t at) {
    if (marks_.empty()) fail(at, "malformed pickle: no MARK");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(
        std::make_move_iterator(stack_.begin() + static_cast<std::ptrdiff_t>(mark)),
        std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return items;
  }
  void memo(std::uint32_t index, std::size_t at) { memo_[index] = top(at); }
  ValuePtr recall(std::uint32_t index, std::size_t at) const {
    const auto it = memo_.find(index);
    if (it == memo_.end()) {
      fail(at, "malformed pickle: unknown memo entry " + std::to_string(index));
    }
    return it->second;
  }

  std::string_view data_;
  const Hooks& hooks_;
  std::size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint32_t, ValuePtr> memo_;
  std::vector<ValuePtr> containers_;

 public:
  ~Reader() {
    Result dismantle;
    dismantle.containers = std::move(containers_);
  }
};

}  // namespace

Value::~Value() {
  std::vector<ValuePtr> pending;
  auto collect = [&pending](Value& v) {
    for (auto& item : v.items) {
      pending.push_back(std::move(item));
    }
    for (auto& [key, value] : v.entries) {
      pending.push_back(std::move(key));
      pending.push_back(std::move(value));
    }
    v.items.clear();
    v.entries.clear();
  };
  collect(*this);
  while (!pending.empty()) {
    ValuePtr v = std::move(pending.back());
    pending.pop_back();
    if (v && v.use_count() == 1) collect(*v);
  }
}

Result::~Result() {
  for (const ValuePtr& container : containers) {
    std::vector<ValuePtr> items = std::move(container->items);
    std::vector<std::pair<ValuePtr, ValuePtr>> entries = std::move(container->entries);
    container->items.clear();
    container->entries.clear();
  }
}

ValuePtr Value::make(Kind kind) {
  auto v = std::make_shared<Value>();
  v->kind = kind;
  return v;
}

ValuePtr Value::makeInt(std::int64_t value) {
  auto v = make(Kind::kInt);
  v->integer = value;
  return v;
}

ValuePtr Value::makeString(std::string value) {
  auto v = make(Kind::kString);
  v->text = std::move(value);
  return v;
}

ValuePtr Value::makeTensor(at::Tensor value) {
  auto v = make(Kind::kTensor);
  v->tensor = std::move(value);
  return v;
}

Result unpickle(std::string_view data, const Hooks& hooks) {
  return Reader(data, hooks).run();
}

}  // namespace camlabel::model::pickle
