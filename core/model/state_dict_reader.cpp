// SPDX-License-Identifier: Apache-2.0
#include "core/model/state_dict_reader.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>
#include <c10/util/Exception.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/common/error.h"
#include "core/model/pickle.h"

namespace camlabel::model {

namespace {

using pickle::Value;
using pickle::ValuePtr;

// Legacy torch.save files open with this integer (torch/serialization.py MAGIC_NUMBER), as the
// little-endian bytes of pickle's LONG1.
constexpr std::array<unsigned char, 10> kLegacyMagic = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                                        0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kLegacyProtocolVersion = 1001;
// No tensor in a weights file has more dimensions than this.
constexpr std::size_t kMaxDims = 16;

/// A problem with the file's content; turned into an InputError naming the file at the top.
struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::optional<at::ScalarType> storageType(const std::string& name) {
  static const std::map<std::string, at::ScalarType> types = {
      {"FloatStorage", at::kFloat}, {"DoubleStorage", at::kDouble},
      {"HalfStorage", at::kHalf},   {"BFloat16Storage", at::kBFloat16},
      {"LongStorage", at::kLong},   {"IntStorage", at::kInt},
      {"ShortStorage", at::kShort}, {"CharStorage", at::kChar},
      {"ByteStorage", at::kByte},   {"BoolStorage", at::kBool}};
  const auto it = types.find(name);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

bool allowGlobal(const std::string& module, const std::string& name) {
  if (module == "collections") return name == "OrderedDict";
  if (module == "torch._utils") return name == "_rebuild_tensor_v2" || name == "_rebuild_parameter";
  if (module == "torch") return storageType(name).has_value();
  return false;
}

std::int64_t asInt(const Value& v, const char* what) {
  if (!v.isInt()) throw Bad(std::string("malformed tensor record: ") + what + " is not an integer");
  return v.integer;
}

std::vector<std::int64_t> asInts(const Value& v, const char* what) {
  if (!v.isTuple()) throw Bad(std::string("malformed tensor record: ") + what + " is not a tuple");
  if (v.items.size() > kMaxDims) throw Bad(std::string("tensor with too many dimensions"));
  std::vector<std::int64_t> out;
  for (const auto& item : v.items) {
    out.push_back(asInt(*item, what));
  }
  return out;
}

struct StorageInfo {
  at::ScalarType dtype;
  std::int64_t numel;
  at::Tensor data;  // 1-D, filled once the bytes are read
};

struct TensorSpec {
  std::string storageKey;
  std::int64_t offset;
  std::vector<std::int64_t> sizes;
  std::vector<std::int64_t> strides;
};

/// Everything torch.save-specific about unpickling: storage references and tensor rebuilds.
/// Tensors are materialised only after the storages' bytes are read (in the legacy format they
/// follow the pickle), so rebuilds record a spec keyed by the value they return.
class TorchPickle {
 public:
  explicit TorchPickle(std::uint64_t fileSize) : fileSize_(fileSize) {}

  ValuePtr load(std::string_view bytes, std::size_t* consumed) {
    pickle::Hooks hooks;
    hooks.allowGlobal = allowGlobal;
    hooks.persistentLoad = [this](const Value& id) { return persistentLoad(id); };
    hooks.reduce = [this](const std::string& global, const Value& args) {
      return reduce(global, args);
    };
    results_.push_back(pickle::unpickle(bytes, hooks));
    if (consumed != nullptr) *consumed = results_.back().consumed;
    return results_.back().value;
  }

  std::map<std::string, StorageInfo>& storages() { return storages_; }

  StateDict collect(const Value& root) {
    if (root.kind != Value::Kind::kDict) throw Bad("the file holds no state_dict (not a dict)");
    StateDict out;
    std::set<std::string> seen;
    for (const auto& [key, value] : root.entries) {
      if (!key->isString()) throw Bad("a state_dict key is not a string");
      const auto it = specs_.find(value.get());
      if (value->kind != Value::Kind::kTensor || it == specs_.end()) {
        throw Bad("entry '" + key->text + "' is not a tensor");
      }
      if (!seen.insert(key->text).second) throw Bad("entry '" + key->text + "' appears twice");
      out.emplace_back(key->text, materialise(key->text, it->second));
    }
    return out;
  }

 private:
  ValuePtr persistentLoad(const Value& id) {
    // ('storage', torch.<Type>Storage, key, location, numel[, view_metadata])
    if (!id.isTuple() || (id.items.size() != 5 && id.items.size() != 6) ||
        !id.items[0]->isString() || id.items[0]->text != "storage" ||
        id.items[1]->kind != Value::Kind::kGlobal || !id.items[2]->isString() ||
        !id.items[3]->isString()) {
      throw Bad("malformed storage reference");
    }
    if (id.items.size() == 6 && id.items[5]->kind != Value::Kind::kNone) {
      throw Bad("storage views (view_metadata) are not supported");
    }
    const std::string& global = id.items[1]->text;
    const auto dtype = storageType(global.substr(global.find('.') + 1));
    if (!dtype) throw Bad("unknown storage type '" + global + "'");
    const std::string& key = id.items[2]->text;
    if (key.empty() || key.size() > 64 ||
        key.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      throw Bad("malformed storage key");
    }
    const std::int64_t numel = asInt(*id.items[4], "storage size");
    const auto elementSize = static_cast<std::uint64_t>(c10::elementSize(*dtype));
    if (numel < 0 || static_cast<std::uint64_t>(numel) > fileSize_ / elementSize) {
      throw Bad("storage '" + key + "' claims " + std::to_string(numel) +
                " elements, more than the file holds");
    }
    const auto [it, inserted] = storages_.try_emplace(key, StorageInfo{*dtype, numel, {}});
    if (!inserted && (it->second.dtype != *dtype || it->second.numel != numel)) {
      throw Bad("storage '" + key + "' is described twice differently");
    }
    auto v = Value::makeString(key);
    storageRefs_.insert(v.get());
    keepAlive_.push_back(v);
    return v;
  }

  ValuePtr reduce(const std::string& global, const Value& args) {
    if (global == "torch._utils._rebuild_parameter") {
      // (data, requires_grad, backward_hooks): the data tensor is what a state_dict needs.
      if (args.items.size() != 3 || specs_.find(args.items[0].get()) == specs_.end()) {
        throw Bad("malformed parameter record");
      }
      return args.items[0];
    }
    if (global != "torch._utils._rebuild_tensor_v2") {
      throw Bad("unexpected call of '" + global + "'");
    }
    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    if (args.items.size() < 6 || args.items.size() > 7 ||
        storageRefs_.count(args.items[0].get()) == 0) {
      throw Bad("malformed tensor record");
    }
    TensorSpec spec{args.items[0]->text, asInt(*args.items[1], "storage offset"),
                    asInts(*args.items[2], "size"), asInts(*args.items[3], "stride")};
    if (spec.sizes.size() != spec.strides.size()) throw Bad("tensor size and stride disagree");
    check(spec);
    auto v = Value::makeTensor({});
    specs_.emplace(v.get(), std::move(spec));
    keepAlive_.push_back(v);
    return v;
  }

  // A tensor must lie inside its storage. Weights never overlap, so it also holds no more
  // elements than its storage, which bounds every later allocation by the file's size.
  void check(const TensorSpec& spec) const {
    const std::int64_t numel = storages_.at(spec.storageKey).numel;
    const Bad outside("a tensor points past the end of its storage");
    if (spec.offset < 0 || spec.offset > numel) throw outside;
    std::int64_t elements = 1;
    std::int64_t last = spec.offset;
    for (std::size_t d = 0; d < spec.sizes.size(); ++d) {
      if (spec.sizes[d] < 0 || spec.strides[d] < 0) {
        throw Bad("a tensor has a negative size or stride");
      }
      std::int64_t span = 0;
      if (__builtin_mul_overflow(elements, spec.sizes[d], &elements) ||
          __builtin_mul_overflow(std::max<std::int64_t>(spec.sizes[d] - 1, 0), spec.strides[d],
                                 &span) ||
          __builtin_add_overflow(last, span, &last)) {
        throw outside;
      }
    }
    if (elements > numel || (elements > 0 && last >= numel)) throw outside;
  }

  at::Tensor materialise(const std::string& name, const TensorSpec& spec) {
    const StorageInfo& storage = storages_.at(spec.storageKey);
    if (!storage.data.defined()) throw Bad("the data of tensor '" + name + "' is missing");
    return storage.data.as_strided(spec.sizes, spec.strides, spec.offset);
  }

  std::uint64_t fileSize_;
  std::vector<pickle::Result> results_;  // own the unpickled objects until the tensors are out
  std::map<std::string, StorageInfo> storages_;
  std::set<const Value*> storageRefs_;
  std::unordered_map<const Value*, TensorSpec> specs_;
  std::vector<ValuePtr> keepAlive_;  // so that no key of specs_ or storageRefs_ is reused
};

at::Tensor storageFromBytes(const StorageInfo& info, const char* bytes) {
  at::Tensor t = at::empty({info.numel}, at::TensorOptions().dtype(info.dtype));
  if (info.numel > 0) {
    std::memcpy(t.data_ptr(), bytes, static_cast<std::size_t>(info.numel) * t.element_size());
  }
  return t;
}

/// A torch.save archive read with libzip. Every record's size is checked against the file before
/// anything is allocated for it: the archive's directory is the file's word, and a claim of 4 GB
/// in a 1 kB file must be refused, not allocated (LibTorch's own reader allocates what the
/// directory claims, and leaks its state when the archive is malformed).
class TorchZip {
 public:
  TorchZip(const std::string& path, std::uint64_t fileSize) : fileSize_(fileSize) {
    int code = 0;
    archive_ = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (archive_ == nullptr) {
      zip_error_t error;
      zip_error_init_with_code(&error, code);
      // libzip says "No such file" of a directory entry it cannot follow; the file is there.
      const std::string what =
          code == ZIP_ER_NOENT ? "its zip directory is damaged" : zip_error_strerror(&error);
      zip_error_fini(&error);
      throw Bad("not a valid PyTorch archive: " + what);
    }
    // torch.save puts every record in one folder named after the file it first wrote.
    const char* first =
        zip_get_num_entries(archive_, 0) > 0 ? zip_get_name(archive_, 0, 0) : nullptr;
    const std::string name = first != nullptr ? first : "";
    const auto slash = name.find('/');
    if (slash == std::string::npos || slash == 0) {
      zip_discard(archive_);
      throw Bad("not a valid PyTorch archive: its records are not in one folder");
    }
    prefix_ = name.substr(0, slash + 1);
  }
  ~TorchZip() { zip_discard(archive_); }
  TorchZip(const TorchZip&) = delete;
  TorchZip& operator=(const TorchZip&) = delete;

  bool has(const std::string& record) const { return index(record).has_value(); }

  /// The record's uncompressed size, refused when the file cannot hold it.
  std::uint64_t size(const std::string& record) const { return stat(record).size; }

  /// Reads the whole record (of size(record) bytes) into `out`, checking its CRC.
  void read(const std::string& record, void* out, std::uint64_t bytes) const {
    const zip_stat_t st = stat(record);
    if (bytes > st.size) throw Bad("the record '" + record + "' is shorter than needed");
    zip_file_t* file = zip_fopen_index(archive_, st.index, 0);
    if (file == nullptr) throw Bad(error("cannot open the record '" + record + "'"));
    auto* dst = static_cast<char*>(out);
    std::uint64_t done = 0;
    std::vector<char> rest;
    // The bytes past `bytes` are read too (and dropped): libzip checks the CRC at the end.
    while (true) {
      char* to = done < bytes ? dst + done : nullptr;
      std::uint64_t want = done < bytes ? bytes - done : 0;
      if (to == nullptr) {
        rest.resize(64 * 1024);
        to = rest.data();
        want = rest.size();
      }
      const zip_int64_t got = zip_fread(file, to, want);
      if (got < 0) {
        const std::string message = zip_error_strerror(zip_file_get_error(file));
        zip_fclose(file);
        throw Bad("the record '" + record + "' is damaged: " + message);
      }
      if (got == 0) break;
      done += static_cast<std::uint64_t>(got);
    }
    zip_fclose(file);
    if (done != st.size) throw Bad("the record '" + record + "' is shorter than its entry says");
  }

 private:
  std::optional<zip_uint64_t> index(const std::string& record) const {
    const zip_int64_t i = zip_name_locate(archive_, (prefix_ + record).c_str(), ZIP_FL_ENC_RAW);
    if (i < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(i);
  }

  zip_stat_t stat(const std::string& record) const {
    const auto i = index(record);
    if (!i) throw Bad("the archive lacks the record '" + record + "'");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, *i, 0, &st) != 0) throw Bad(error("unreadable record entry"));
    const auto known = ZIP_STAT_INDEX | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
    if ((st.valid & known) != known)
      throw Bad("the entry of record '" + record + "' is incomplete");
    // Stored records (what torch.save writes) hold their size in the file; deflate expands at
    // most 1032 times.
    const bool stored = st.comp_method == ZIP_CM_STORE;
    if (st.comp_size > fileSize_ || (stored && st.size != st.comp_size) ||
        st.size / 1032 > st.comp_size) {
      throw Bad("the record '" + record + "' claims more bytes than the file holds");
    }
    return st;
  }

  std::string error(const std::string& what) const {
    return what + ": " + zip_error_strerror(zip_get_error(archive_));
  }

  zip_t* archive_ = nullptr;
  std::uint64_t fileSize_;
  std::string prefix_;
};

StateDict readZip(const std::string& path, std::uint64_t fileSize) {
  const TorchZip zip(path, fileSize);
  std::string pickleBytes(static_cast<std::size_t>(zip.size("data.pkl")), '\0');
  zip.read("data.pkl", pickleBytes.data(), pickleBytes.size());
  TorchPickle torchPickle(fileSize);
  const ValuePtr root = torchPickle.load(pickleBytes, nullptr);
  for (auto& [key, storage] : torchPickle.storages()) {
    const std::string record = "data/" + key;
    if (!zip.has(record)) throw Bad("the archive lacks the data of storage '" + key + "'");
    const std::uint64_t needed =
        static_cast<std::uint64_t>(storage.numel) * c10::elementSize(storage.dtype);
    if (zip.size(record) < needed) {
      throw Bad("the data of storage '" + key + "' is shorter than its size");
    }
    // Read straight into the storage's tensor: one copy, from the file.
    storage.data = at::empty({storage.numel}, at::TensorOptions().dtype(storage.dtype));
    zip.read(record, storage.data.data_ptr(), needed);
  }
  return torchPickle.collect(*root);
}

StateDict readLegacy(std::string_view bytes) {
  TorchPickle torchPickle(bytes.size());
  std::size_t pos = 0;
  auto next = [&]() {
    std::size_t consumed = 0;
    auto v = torchPickle.load(bytes.substr(pos), &consumed);
    pos += consumed;
    return v;
  };
  const ValuePtr magic = next();
  if (magic->kind != Value::Kind::kBigInt ||
      magic->text != std::string(kLegacyMagic.begin(), kLegacyMagic.end())) {
    throw Bad("not a torch.save file (wrong magic number)");
  }
  const ValuePtr protocol = next();
  if (!protocol->isInt() || protocol->integer != kLegacyProtocolVersion) {
    throw Bad("unsupported legacy torch.save protocol version");
  }
  const ValuePtr sysInfo = next();
  if (sysInfo->kind != Value::Kind::kDict) throw Bad("malformed legacy header");
  for (const auto& [key, value] : sysInfo->entries) {
    if (key->isString() && key->text == "little_endian" &&
        !(value->kind == Value::Kind::kBool && value->boolean)) {
      throw Bad("big-endian files are not supported");
    }
  }
  const ValuePtr root = next();
  const ValuePtr keys = next();
  if (keys->kind != Value::Kind::kList) throw Bad("malformed legacy storage list");
  auto& storages = torchPickle.storages();
  for (const auto& key : keys->items) {
    if (!key->isString() || storages.count(key->text) == 0) {
      throw Bad("the legacy storage list names a storage no tensor uses");
    }
    StorageInfo& storage = storages.at(key->text);
    std::int64_t count = 0;
    if (bytes.size() - pos < sizeof count) throw Bad("the file is truncated");
    std::memcpy(&count, bytes.data() + pos, sizeof count);
    pos += sizeof count;
    if (count != storage.numel) throw Bad("storage '" + key->text + "' has the wrong size");
    const std::uint64_t needed =
        static_cast<std::uint64_t>(count) * c10::elementSize(storage.dtype);
    if (bytes.size() - pos < needed) throw Bad("the file is truncated");
    storage.data = storageFromBytes(storage, bytes.data() + pos);
    pos += static_cast<std::size_t>(needed);
  }
  return torchPickle.collect(*root);
}

std::string readAll(const std::filesystem::path& path, std::uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    throw Bad("the file cannot be read");
  }
  return bytes;
}

}  // namespace

StateDict readStateDict(const std::filesystem::path& path) {
  const std::string name = path.string();
  try {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Bad("no such file");
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) throw Bad("the file size cannot be read");
    std::ifstream in(path, std::ios::binary);
    std::array<char, 4> head{};
    if (!in || !in.read(head.data(), head.size())) {
      throw Bad("too short to be a PyTorch weights file");
    }
    in.close();
    if (std::memcmp(head.data(), "PK\x03\x04", 4) == 0) return readZip(name, size);
    if (static_cast<unsigned char>(head[0]) == 0x80 && head[1] == 0x02) {
      return readLegacy(readAll(path, size));
    }
    throw Bad("not a PyTorch weights file (neither a torch.save zip archive nor a legacy pickle)");
  } catch (const InputError&) {
    throw;
  } catch (const Bad& e) {
    throw InputError(name, e.what());
  } catch (const pickle::PickleError& e) {
    throw InputError(name, std::string("not a weights file this reader accepts: ") + e.what());
  } catch (const c10::Error& e) {
    throw InputError(name,
                     std::string("not a valid PyTorch archive: ") + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throw InputError(name, "a record in the file claims more memory than is available");
  } catch (const std::exception& e) {
    throw InputError(name, std::string("unreadable: ") + e.what());
  }
}

}  // namespace camlabel::model
