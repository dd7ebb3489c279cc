// SPDX-License-Identifier: Apache-2.0
// The checkpoint file, format 1. All integers are little-endian, fixed width:
//
//   offset        size  content
//   0             8     magic "CAMLCKPT"
//   8             4     uint32 format (kCheckpointFormat)
//   12            8     uint64 J, the length of the header JSON
//   20            J     UTF-8 JSON: the CheckpointInfo (see infoToJson) and "optimizer", the kind
//                       of optimizer whose state the payload holds ("Adam", "SGD", ...) or null
//   20+J          8     uint64 P, the length of the payload
//   28+J          P     a LibTorch archive (torch::serialize::OutputArchive, a TorchScript zip)
//                       with a nested archive "model" holding every parameter and buffer under
//                       its torchvision name (ResNet::stateDict), and, when "optimizer" is not
//                       null, a nested archive "optimizer" written by Optimizer::save
//   28+J+P        32    SHA-256 of bytes [0, 28+J+P)
//
// The file is exactly 60+J+P bytes. Readers check the magic, then the format (a newer format may
// lay out the rest differently), then the lengths, then the checksum, and parse the JSON and the
// archive only after all of these passed.

#include "core/model/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <torch/optim.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/version.h"

namespace camlabel::model {
namespace {

constexpr char kMagic[] = {'C', 'A', 'M', 'L', 'C', 'K', 'P', 'T'};
constexpr std::size_t kMagicSize = sizeof(kMagic);
constexpr std::size_t kFormatSize = 4;
constexpr std::size_t kLengthSize = 8;
constexpr std::size_t kDigestSize = 32;
// The JSON is a few kilobytes; anything near this is damage, not a header.
constexpr std::uint64_t kMaxJsonSize = 64ull << 20;

void appendLe(std::string& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

std::uint64_t readLe(std::string_view data, std::size_t offset, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[offset + i])) << (8 * i);
  }
  return value;
}

std::string hexToBytes(const std::string& hex) {
  std::string bytes;
  bytes.reserve(kDigestSize);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

// c10::Error's what() carries a C++ backtrace; users get the sentence only.
std::string torchMessage(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) {
    return c10->what_without_backtrace();
  }
  return e.what();
}

std::string nowIso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string describe(const ResNetConfig& c) {
  std::string text("a ResNet with blocks [");
  for (std::size_t i = 0; i < c.blocks.size(); ++i) {
    if (i > 0) text += ",";
    text += std::to_string(c.blocks[i]);
  }
  text += "], width " + std::to_string(c.width) + " and " + std::to_string(c.numClasses) +
          (c.numClasses == 1 ? " class" : " classes");
  return text;
}

std::string shapeText(const at::Tensor& t) {
  std::string text("[");
  for (std::size_t i = 0; i < t.sizes().size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(t.sizes()[i]);
  }
  return text + "]";
}

/// The optimizer's class, as stored in the file and compared on load.
std::string optimizerKind(const torch::optim::Optimizer& optimizer) {
  if (dynamic_cast<const torch::optim::AdamW*>(&optimizer)) return "AdamW";
  if (dynamic_cast<const torch::optim::Adam*>(&optimizer)) return "Adam";
  if (dynamic_cast<const torch::optim::SGD*>(&optimizer)) return "SGD";
  if (dynamic_cast<const torch::optim::RMSprop*>(&optimizer)) return "RMSprop";
  if (dynamic_cast<const torch::optim::Adagrad*>(&optimizer)) return "Adagrad";
  if (dynamic_cast<const torch::optim::LBFGS*>(&optimizer)) return "LBFGS";
  return std::string("other:") + typeid(optimizer).name();
}

/// The per-parameter state tensor shaped like the parameter, for the kinds that have one.
at::Tensor shapedState(const torch::optim::OptimizerParamState& state) {
  if (const auto* s = dynamic_cast<const torch::optim::AdamParamState*>(&state)) {
    return s->exp_avg();
  }
  if (const auto* s = dynamic_cast<const torch::optim::AdamWParamState*>(&state)) {
    return s->exp_avg();
  }
  if (const auto* s = dynamic_cast<const torch::optim::SGDParamState*>(&state)) {
    return s->momentum_buffer();
  }
  if (const auto* s = dynamic_cast<const torch::optim::RMSpropParamState*>(&state)) {
    return s->square_avg();
  }
  if (const auto* s = dynamic_cast<const torch::optim::AdagradParamState*>(&state)) {
    return s->sum();
  }
  return {};
}

nlohmann::json infoToJson(const CheckpointInfo& info, const ResNetConfig& config,
                          const std::string& optimizer) {
  nlohmann::json j;
  j["config"] = {
      {"blocks", config.blocks}, {"width", config.width}, {"numClasses", config.numClasses}};
  j["scheme"] = {{"name", info.schemeName}, {"classNames", info.classNames}};
  j["baseWeightsSha256"] = info.baseWeightsSha256;
  j["trainingMode"] = info.trainingMode;
  j["version"] = info.version;
  j["labelCount"] = info.labelCount;
  j["lastLabelId"] = info.lastLabelId;
  j["createdTime"] = info.createdTime.empty() ? nowIso8601() : info.createdTime;
  j["appVersion"] = std::string(kVersion);
  j["metrics"] = info.metrics;
  j["optimizer"] = optimizer.empty() ? nlohmann::json(nullptr) : nlohmann::json(optimizer);
  return j;
}

/// Field access that names the field when it is missing or of the wrong type.
template <typename T>
T field(const nlohmann::json& object, const char* name, const std::string& where) {
  const auto it = object.find(name);
  if (it == object.end()) {
    throw std::invalid_argument(std::string("the header lacks ") + where + name);
  }
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string("the header's ") + where + name +
                                " has the wrong type");
  }
}

CheckpointInfo infoFromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("the header is not a JSON object");
  CheckpointInfo info;
  const auto config = field<nlohmann::json>(j, "config", "");
  if (!config.is_object()) throw std::invalid_argument("the header's config is not an object");
  info.config.blocks = field<std::array<int, 4>>(config, "blocks", "config.");
  info.config.width = field<int>(config, "width", "config.");
  info.config.numClasses = field<int>(config, "numClasses", "config.");
  for (const int b : info.config.blocks) {
    if (b < 1 || b > 1000) throw std::invalid_argument("the header's config.blocks is invalid");
  }
  if (info.config.width < 1 || info.config.width > 65536 || info.config.numClasses < 1 ||
      info.config.numClasses > 1000000) {
    throw std::invalid_argument("the header's config is invalid");
  }
  const auto scheme = field<nlohmann::json>(j, "scheme", "");
  if (!scheme.is_object()) throw std::invalid_argument("the header's scheme is not an object");
  info.schemeName = field<std::string>(scheme, "name", "scheme.");
  info.classNames = field<std::vector<std::string>>(scheme, "classNames", "scheme.");
  info.baseWeightsSha256 = field<std::string>(j, "baseWeightsSha256", "");
  info.trainingMode = field<std::string>(j, "trainingMode", "");
  info.version = field<int>(j, "version", "");
  info.labelCount = field<std::int64_t>(j, "labelCount", "");
  info.lastLabelId = field<std::int64_t>(j, "lastLabelId", "");
  info.createdTime = field<std::string>(j, "createdTime", "");
  info.appVersion = field<std::string>(j, "appVersion", "");
  info.metrics = field<nlohmann::json>(j, "metrics", "");
  const auto optimizer = field<nlohmann::json>(j, "optimizer", "");
  if (optimizer.is_string()) {
    info.optimizer = optimizer.get<std::string>();
  } else if (!optimizer.is_null()) {
    throw std::invalid_argument("the header's optimizer has the wrong type");
  }
  return info;
}

/// A checkpoint file opened for reading at any offset. The descriptor stays open from the
/// checksum to the last tensor read: a checkpoint replaced meanwhile (written atomically, so a new
/// inode) cannot mix two files' bytes.
class CheckpointFile {
 public:
  explicit CheckpointFile(const std::filesystem::path& path) : where_(path.string()) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw InputError(where_, "the file does not exist");
    if (!std::filesystem::is_regular_file(status)) {
      throw InputError(where_, "it is not a regular file");
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(where_, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      const int error = errno;
      ::close(fd_);
      throw InputError(where_, std::strerror(error));
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
  }
  ~CheckpointFile() { ::close(fd_); }
  CheckpointFile(const CheckpointFile&) = delete;
  CheckpointFile& operator=(const CheckpointFile&) = delete;

  std::uint64_t size() const { return size_; }
  /// Up to n bytes at pos (fewer at the end of the file). Throws InputError on a read error.
  std::size_t read(std::uint64_t pos, void* buffer, std::size_t n) const {
    std::size_t done = 0;
    while (done < n && pos + done < size_) {
      const ssize_t got =
          ::pread(fd_, static_cast<char*>(buffer) + done, n - done, static_cast<off_t>(pos + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw InputError(where_, std::string("read error: ") + std::strerror(errno));
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }
  std::string read(std::uint64_t pos, std::size_t n) const {
    std::string bytes(n, '\0');
    bytes.resize(read(pos, bytes.data(), n));
    return bytes;
  }
  /// SHA-256 of the first n bytes, read in 1 MiB blocks.
  std::string digestOf(std::uint64_t n) const {
    Sha256 sha;
    constexpr std::size_t kBlock = std::size_t{1} << 20;
    const auto buffer = std::make_unique_for_overwrite<char[]>(kBlock);
    for (std::uint64_t pos = 0; pos < n;) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, n - pos));
      const std::size_t got = read(pos, buffer.get(), want);
      if (got != want) throw InputError(where_, "the file could not be read completely");
      sha.update(buffer.get(), got);
      pos += got;
    }
    return hexToBytes(sha.hexDigest());
  }

 private:
  std::string where_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// A file that passed every check: its info, and where the payload lies in it.
struct VerifiedFile {
  std::unique_ptr<CheckpointFile> file;
  CheckpointInfo info;
  std::uint64_t payloadOffset = 0;
  std::uint64_t payloadSize = 0;
};

VerifiedFile verify(const std::filesystem::path& path) {
  const std::string where = path.string();
  VerifiedFile file;
  file.file = std::make_unique<CheckpointFile>(path);
  const CheckpointFile& in = *file.file;
  const std::uint64_t size = in.size();
  constexpr char kTruncated[] = "the file is truncated (torn write?)";

  if (size == 0) throw InputError(where, "the file is empty (torn write?)");
  // Magic, format and the JSON length: everything up to the JSON itself.
  const std::string head = in.read(0, kMagicSize + kFormatSize + kLengthSize);
  const std::string_view data = head;
  const std::size_t magicBytes = std::min(data.size(), kMagicSize);
  if (data.substr(0, magicBytes) != std::string_view(kMagic, magicBytes)) {
    std::string reason("not a camlabel checkpoint");
    if (data.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
      reason += " (it is a zip archive, e.g. PyTorch weights saved by torch.save)";
    }
    throw InputError(where, reason);
  }
  if (data.size() < kMagicSize + kFormatSize) throw InputError(where, kTruncated);
  const std::uint64_t format = readLe(data, kMagicSize, kFormatSize);
  if (format > static_cast<std::uint64_t>(kCheckpointFormat)) {
    throw InputError(where, "the checkpoint was made by a newer camlabel (format " +
                                std::to_string(format) + "; this one reads format " +
                                std::to_string(kCheckpointFormat) + " and older)");
  }
  if (format < 1) {
    throw InputError(where, "the checkpoint has an invalid format number (" +
                                std::to_string(format) + "): the file is damaged");
  }

  std::uint64_t offset = kMagicSize + kFormatSize;
  // Each length is checked against what is left before anything is allocated or read.
  auto readLength = [&](std::uint64_t limit) {
    if (size - offset < kLengthSize) throw InputError(where, kTruncated);
    const std::string bytes = in.read(offset, kLengthSize);
    if (bytes.size() < kLengthSize) throw InputError(where, kTruncated);
    const std::uint64_t length = readLe(bytes, 0, kLengthSize);
    offset += kLengthSize;
    if (length > limit) {
      throw InputError(where, "a length field is implausibly large: the file is damaged");
    }
    if (length > size - offset) throw InputError(where, kTruncated);
    return length;
  };
  const std::uint64_t jsonSize = readLength(kMaxJsonSize);
  const std::uint64_t jsonOffset = offset;
  offset += jsonSize;
  file.payloadSize = readLength(std::numeric_limits<std::uint64_t>::max());
  file.payloadOffset = offset;
  offset += file.payloadSize;
  if (size - offset < kDigestSize) throw InputError(where, kTruncated);
  if (size - offset > kDigestSize) {
    throw InputError(where, std::to_string(size - offset - kDigestSize) +
                                " unexpected bytes follow the checksum: the file is damaged");
  }
  if (in.digestOf(offset) != in.read(offset, kDigestSize)) {
    throw InputError(where, "checksum mismatch: the file is damaged");
  }

  try {
    file.info = infoFromJson(
        nlohmann::json::parse(in.read(jsonOffset, static_cast<std::size_t>(jsonSize))));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where, std::string("the header is not valid JSON (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw InputError(where, e.what());
  }
  file.info.format = static_cast<int>(format);
  return file;
}

std::string schemeText(const std::string& name, std::size_t classes) {
  return "'" + name + "' (" + std::to_string(classes) + (classes == 1 ? " class)" : " classes)");
}

void checkExpectation(const std::string& where, const CheckpointInfo& info,
                      const CheckpointExpectation& expected) {
  if (info.schemeName != expected.schemeName ||
      info.classNames.size() != expected.classNames.size()) {
    throw CheckpointMismatch(
        where, "the checkpoint was made for class scheme " +
                   schemeText(info.schemeName, info.classNames.size()) + ", the project uses " +
                   schemeText(expected.schemeName, expected.classNames.size()));
  }
  for (std::size_t i = 0; i < info.classNames.size(); ++i) {
    if (info.classNames[i] != expected.classNames[i]) {
      throw CheckpointMismatch(where, "the checkpoint's class scheme '" + info.schemeName +
                                          "' names class " + std::to_string(i) + " '" +
                                          info.classNames[i] + "', the project's names it '" +
                                          expected.classNames[i] + "'");
    }
  }
  if (info.config != expected.config) {
    throw CheckpointMismatch(where, "the checkpoint was made for " + describe(info.config) +
                                        ", the model is " + describe(expected.config));
  }
}

c10::Device deviceOf(const ResNet& model) {
  for (const auto& p : model.module().parameters())
    return p.device();
  return c10::Device(c10::kCPU);
}

/// The weights in the archive: every key the model expects read as the model holds it (parameter
/// or buffer), unknown keys as placeholders so that loadStateDict lists them.
StateDict readWeights(torch::serialize::InputArchive& archive, const ResNet& model) {
  std::set<std::string> buffers;
  for (const auto& b : model.module().named_buffers(/*recurse=*/true))
    buffers.insert(b.key());
  std::set<std::string> keys;
  for (const auto& key : archive.keys())
    keys.insert(key);
  StateDict weights;
  for (const auto& [name, target] : model.stateDict()) {
    if (keys.erase(name) == 0) continue;
    at::Tensor tensor;
    archive.read(name, tensor, /*is_buffer=*/buffers.count(name) > 0);
    weights.emplace_back(name, tensor);
  }
  for (const auto& unexpected : keys)
    weights.emplace_back(unexpected, at::Tensor());
  return weights;
}

/// Loads the optimizer's state from `archive`, replacing the state it had. On failure the
/// optimizer keeps its previous state: the previous state objects are moved aside first and moved
/// back. Optimizer::load in LibTorch 1.13 touches nothing but state() (it reads the stored
/// parameter groups' options but does not apply them), so the learning rates and other options
/// are the optimizer's own before and after.
class OptimizerStateSwap {
 public:
  explicit OptimizerStateSwap(torch::optim::Optimizer& optimizer)
      : optimizer_(optimizer), saved_(std::move(optimizer.state())) {
    optimizer_.state().clear();
  }
  ~OptimizerStateSwap() {
    if (!committed_) optimizer_.state() = std::move(saved_);
  }
  OptimizerStateSwap(const OptimizerStateSwap&) = delete;
  OptimizerStateSwap& operator=(const OptimizerStateSwap&) = delete;
  void commit() { committed_ = true; }

 private:
  torch::optim::Optimizer& optimizer_;
  ska::flat_hash_map<std::string, std::unique_ptr<torch::optim::OptimizerParamState>> saved_;
  bool committed_ = false;
};

/// Every loaded per-parameter state has its parameter's shape: a trainer that built its parameter
/// groups in another order would otherwise fail (or worse) on its next step.
void checkOptimizerShapes(const std::string& where, torch::optim::Optimizer& optimizer) {
  const auto& groups = optimizer.param_groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& params = groups[g].params();
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto it = optimizer.state().find(c10::guts::to_string(params[i].unsafeGetTensorImpl()));
      if (it == optimizer.state().end()) continue;
      const at::Tensor state = shapedState(*it->second);
      if (state.defined() && state.sizes() != params[i].sizes()) {
        throw InputError(where, "the optimizer state does not fit the optimizer: parameter " +
                                    std::to_string(i) + " of group " + std::to_string(g) + " is " +
                                    shapeText(params[i]) + ", its stored state " +
                                    shapeText(state) +
                                    " (are the parameter groups built in the same order?)");
      }
    }
  }
}

}  // namespace

void writeCheckpoint(const std::filesystem::path& path, const ResNet& model,
                     const torch::optim::Optimizer* optimizer, const CheckpointInfo& info,
                     const StateDict* shown) {
  const ResNetConfig& config = model.config();
  if (info.classNames.size() != static_cast<std::size_t>(config.numClasses)) {
    throw Error("Cannot write the checkpoint '" + path.string() + "': the scheme has " +
                std::to_string(info.classNames.size()) + " class names but the model " +
                std::to_string(config.numClasses) + " outputs.");
  }
  const std::string kind = optimizer != nullptr ? optimizerKind(*optimizer) : std::string();
  std::string json;
  try {
    json = infoToJson(info, config, kind).dump();
  } catch (const nlohmann::json::exception& e) {
    throw Error("Cannot write the checkpoint '" + path.string() +
                "': its description cannot be stored (" + e.what() + ").");
  }

  // Streamed to disk: a layer4-mode ResNet50 checkpoint (weights and Adam's two moments) is
  // about 215 MB, which would otherwise be held in memory, twice while the string grows.
  AtomicFileWriter out(path);
  std::string header(kMagic, kMagicSize);
  appendLe(header, static_cast<std::uint64_t>(kCheckpointFormat), kFormatSize);
  appendLe(header, json.size(), kLengthSize);
  header += json;
  const std::size_t payloadLengthOffset = header.size();
  appendLe(header, 0, kLengthSize);  // patched once the payload is written
  out.write(header);
  const std::uint64_t payloadOffset = out.size();
  try {
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive weights(archive.compilation_unit());
    std::set<std::string> buffers;
    for (const auto& b : model.module().named_buffers(/*recurse=*/true))
      buffers.insert(b.key());
    std::map<std::string, at::Tensor> shownByName;
    if (shown != nullptr) {
      for (const auto& [name, tensor] : *shown)
        shownByName.emplace(name, tensor);
    }
    for (const auto& [name, tensor] : model.stateDict()) {
      const auto it = shownByName.find(name);
      weights.write(name, it != shownByName.end() ? it->second : tensor,
                    /*is_buffer=*/buffers.count(name) > 0);
    }
    archive.write("model", weights);
    if (shown != nullptr) {
      torch::serialize::OutputArchive trained(archive.compilation_unit());
      for (const auto& [name, tensor] : model.stateDict())
        trained.write(name, tensor, /*is_buffer=*/buffers.count(name) > 0);
      archive.write("trained", trained);
    }
    if (optimizer != nullptr) {
      torch::serialize::OutputArchive state(archive.compilation_unit());
      optimizer->save(state);
      archive.write("optimizer", state);
    }
    // The writer must not throw: Torch's zip writer would write its end record again while
    // unwinding, fail an internal check in its destructor and terminate the process. A failed
    // write (disk full) is kept and thrown once Torch has finished.
    std::exception_ptr writeError;
    archive.save_to([&out, &writeError](const void* data, std::size_t size) {
      if (!writeError) {
        try {
          out.write(data, size);
        } catch (...) {
          writeError = std::current_exception();
        }
      }
      return size;
    });
    if (writeError) std::rethrow_exception(writeError);
  } catch (const Error&) {
    throw;  // the disk's own message (full, gone)
  } catch (const std::exception& e) {
    throw Error("Cannot write the checkpoint '" + path.string() +
                "': serialising the weights failed: " + torchMessage(e));
  }
  std::string payloadLength;
  appendLe(payloadLength, out.size() - payloadOffset, kLengthSize);
  out.writeAt(payloadLengthOffset, payloadLength.data(), payloadLength.size());
  // The checksum covers every byte before it, read back from the page cache.
  out.write(hexToBytes(sha256File(out.temporaryPath())));
  out.commit();
}

bool isCheckpointFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[kMagicSize] = {};
  return in.read(head, kMagicSize) && std::equal(head, head + kMagicSize, kMagic);
}

CheckpointInfo readCheckpointInfo(const std::filesystem::path& path) {
  return verify(path).info;
}

CheckpointInfo loadCheckpoint(const std::filesystem::path& path, ResNet& model,
                              torch::optim::Optimizer* optimizer,
                              const CheckpointExpectation& expected, StateDict* shown,
                              WithoutOptimizerState withoutOptimizerState) {
  const std::string where = path.string();
  VerifiedFile file = verify(path);
  checkExpectation(where, file.info, expected);
  if (model.config() != expected.config) {
    throw InputError(where, "the model given to load into is " + describe(model.config()) +
                                ", not the expected " + describe(expected.config));
  }
  if (optimizer != nullptr && file.info.optimizer.empty() &&
      withoutOptimizerState == WithoutOptimizerState::kLoadWeights) {
    optimizer = nullptr;  // the shown weights, as an inference load; the caller sees no state
  }
  if (optimizer != nullptr) {
    if (file.info.optimizer.empty()) {
      throw InputError(where,
                       "the checkpoint holds no optimizer state (it was written with the weights "
                       "only), so training cannot resume from it; load it without an optimizer");
    }
    if (file.info.optimizer != optimizerKind(*optimizer)) {
      throw InputError(where, "the checkpoint holds " + file.info.optimizer +
                                  " optimizer state, the trainer uses " +
                                  optimizerKind(*optimizer));
    }
  }

  const c10::Device device = deviceOf(model);
  torch::serialize::InputArchive archive;
  StateDict weights;
  StateDict shownWeights;  ///< kept apart from the trained ones (resuming only)
  try {
    // Straight from the file: the payload (about 215 MB for a layer4 ResNet50) is never held
    // in memory besides the tensors it becomes.
    const CheckpointFile& in = *file.file;
    const std::uint64_t offset = file.payloadOffset;
    const std::uint64_t payloadSize = file.payloadSize;
    archive.load_from(
        [&in, offset, payloadSize](std::uint64_t pos, void* buffer, std::size_t n) -> std::size_t {
          if (pos >= payloadSize) return 0;
          return in.read(offset + pos, buffer,
                         static_cast<std::size_t>(std::min<std::uint64_t>(n, payloadSize - pos)));
        },
        [payloadSize] { return static_cast<std::size_t>(payloadSize); }, device);
    torch::serialize::InputArchive weightArchive;
    archive.read("model", weightArchive);
    weights = readWeights(weightArchive, model);
    if (optimizer != nullptr) {
      // Training resumes from the trained weights where the file keeps them apart.
      torch::serialize::InputArchive trainedArchive;
      if (archive.try_read("trained", trainedArchive)) {
        shownWeights = std::move(weights);
        weights = readWeights(trainedArchive, model);
      }
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(where, "the weights cannot be read: " + torchMessage(e));
  }

  std::optional<OptimizerStateSwap> swap;
  if (optimizer != nullptr) {
    swap.emplace(*optimizer);
    try {
      torch::serialize::InputArchive state;
      archive.read("optimizer", state);
      optimizer->load(state);
    } catch (const std::exception& e) {
      throw InputError(where, "the optimizer state does not fit the optimizer: " + torchMessage(e));
    }
    checkOptimizerShapes(where, *optimizer);
  }
  if (!shownWeights.empty()) {
    checkStateDict(model, shownWeights, HeadWeights::kLoad, where);
    // Stricter than an inference load: the average the trainer resumes must hold every entry,
    // BatchNorm counters included (readWeights gives each of the model's names at most once).
    if (shownWeights.size() != model.stateDict().size())
      throw InputError(where, "the weights the version shows lack some of the model's");
  }
  loadStateDict(model, weights, HeadWeights::kLoad, where);
  if (swap) swap->commit();
  if (shown != nullptr) *shown = std::move(shownWeights);
  return file.info;
}

}  // namespace camlabel::model
