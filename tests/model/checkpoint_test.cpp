// SPDX-License-Identifier: Apache-2.0
#include "core/model/checkpoint.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/version.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

namespace fs = std::filesystem;
using model::CheckpointExpectation;
using model::CheckpointInfo;
using model::ResNet;
using model::ResNetConfig;

const ResNetConfig kTiny{{1, 1, 1, 1}, 8, 4};
const std::vector<std::string> kClasses{"normal", "すりガラス影", "consolidation", "蜂巣肺"};

ResNet makeModel(std::uint64_t seed, const ResNetConfig& config = kTiny) {
  ResNet model(config);
  model::initializeRandom(model, seed);
  return model;
}

// Adam as the trainer builds it: the head and the trunk in two groups with their own rates.
std::unique_ptr<torch::optim::Adam> makeAdam(ResNet& model, bool headFirst = false) {
  std::vector<torch::Tensor> head, trunk;
  for (const auto& p : model.module().named_parameters()) {
    (p.key().rfind("fc.", 0) == 0 ? head : trunk).push_back(p.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!headFirst) groups.emplace_back(trunk, std::make_unique<torch::optim::AdamOptions>(1e-3));
  groups.emplace_back(head, std::make_unique<torch::optim::AdamOptions>(1e-2));
  if (headFirst) groups.emplace_back(trunk, std::make_unique<torch::optim::AdamOptions>(1e-3));
  return std::make_unique<torch::optim::Adam>(std::move(groups), torch::optim::AdamOptions(1e-3));
}

// One training step on a batch drawn from `seed`.
void trainStep(ResNet& model, torch::optim::Optimizer& optimizer, std::uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor input = torch::randn({2, 3, 32, 32});
  const torch::Tensor target = torch::randint(0, kTiny.numClasses, {2}, torch::kLong);
  model.train();
  optimizer.zero_grad();
  torch::nn::functional::cross_entropy(model.forward(input), target).backward();
  optimizer.step();
}

CheckpointInfo sampleInfo() {
  CheckpointInfo info;
  info.config = kTiny;
  info.schemeName = "pattern";
  info.classNames = kClasses;
  info.baseWeightsSha256 = std::string(64, 'a');
  info.trainingMode = "layer4";
  info.version = 7;
  info.labelCount = 123456789012;
  info.lastLabelId = 4242;
  info.createdTime = "2026-12-01T08:00:00Z";
  info.metrics = {{"prequentialAccuracy", 0.625}, {"loss", {1.5, 1.25}}, {"note", "所見"}};
  return info;
}

CheckpointExpectation expectation(const ResNetConfig& config = kTiny) {
  return {config, "pattern", kClasses};
}

bool sameWeights(const ResNet& a, const ResNet& b) {
  const auto x = a.stateDict();
  const auto y = b.stateDict();
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i].first != y[i].first || !torch::equal(x[i].second, y[i].second)) return false;
  }
  return true;
}

std::vector<torch::Tensor> cloneWeights(const ResNet& model) {
  std::vector<torch::Tensor> out;
  for (const auto& entry : model.stateDict())
    out.push_back(entry.second.clone());
  return out;
}

bool weightsEqual(const ResNet& model, const std::vector<torch::Tensor>& before) {
  const auto now = model.stateDict();
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (!torch::equal(now[i].second, before[i])) return false;
  }
  return true;
}

// Adam's per-parameter state in parameter-group order: exp_avg, exp_avg_sq, step.
struct AdamSnapshot {
  std::vector<torch::Tensor> tensors;
  std::vector<std::int64_t> steps;
  bool operator==(const AdamSnapshot& o) const {
    if (steps != o.steps || tensors.size() != o.tensors.size()) return false;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      if (!torch::equal(tensors[i], o.tensors[i])) return false;
    }
    return true;
  }
};

AdamSnapshot snapshot(torch::optim::Adam& adam) {
  AdamSnapshot s;
  for (const auto& group : adam.param_groups()) {
    for (const auto& p : group.params()) {
      const auto it = adam.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (it == adam.state().end()) {
        s.steps.push_back(-1);
        continue;
      }
      const auto& state = static_cast<const torch::optim::AdamParamState&>(*it->second);
      s.tensors.push_back(state.exp_avg().clone());
      s.tensors.push_back(state.exp_avg_sq().clone());
      s.steps.push_back(state.step());
    }
  }
  return s;
}

// A trained model with two Adam steps behind it, written to `path`.
struct Trained {
  ResNet model = makeModel(1);
  std::unique_ptr<torch::optim::Adam> adam = makeAdam(model);
  explicit Trained(const fs::path& path, bool withOptimizer = true) {
    trainStep(model, *adam, 10);
    trainStep(model, *adam, 11);
    model::writeCheckpoint(path, model, withOptimizer ? adam.get() : nullptr, sampleInfo());
  }
};

void expectInputError(const std::function<void()>& action, const fs::path& path,
                      const std::vector<std::string>& words) {
  try {
    action();
    ADD_FAILURE() << "no error for " << path;
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path.string());
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    for (const auto& word : words) {
      EXPECT_NE(message.find(word), std::string::npos) << "'" << word << "' not in: " << message;
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an InputError: " << e.what();
  }
}

void expectUnreadable(const fs::path& path, const std::vector<std::string>& words) {
  expectInputError([&] { model::readCheckpointInfo(path); }, path, words);
  ResNet model = makeModel(2);
  auto adam = makeAdam(model);
  const auto before = cloneWeights(model);
  expectInputError([&] { model::loadCheckpoint(path, model, adam.get(), expectation()); }, path,
                   words);
  EXPECT_TRUE(weightsEqual(model, before));
  EXPECT_TRUE(adam->state().empty());
}

std::uint64_t le64At(const std::string& bytes, std::size_t offset) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return v;
}

std::string le(std::uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

// The file's parts, as documented in checkpoint.cpp, and their reassembly with a fresh checksum.
struct Parts {
  std::uint32_t format = 0;
  std::string json;
  std::string payload;
};

Parts split(const std::string& file) {
  Parts parts;
  parts.format = static_cast<std::uint32_t>(le64At(file.substr(8, 4) + std::string(4, '\0'), 0));
  const std::uint64_t jsonSize = le64At(file, 12);
  parts.json = file.substr(20, jsonSize);
  const std::uint64_t payloadSize = le64At(file, 20 + jsonSize);
  parts.payload = file.substr(28 + jsonSize, payloadSize);
  EXPECT_EQ(file.size(), 60 + jsonSize + payloadSize);
  return parts;
}

std::string join(const Parts& parts) {
  std::string file = "CAMLCKPT" + le(parts.format, 4) + le(parts.json.size(), 8) + parts.json +
                     le(parts.payload.size(), 8) + parts.payload;
  const std::string hex = sha256Hex(file);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    file.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return file;
}

TEST(Checkpoint, RoundTripRestoresWeightsOptimizerAndInfo) {
  TempDir tmp;
  const fs::path path = tmp / "pattern_v7.pt";
  Trained original(path);

  ResNet reloaded = makeModel(99);
  auto adam = makeAdam(reloaded);
  ASSERT_FALSE(sameWeights(original.model, reloaded));
  const CheckpointInfo info = model::loadCheckpoint(path, reloaded, adam.get(), expectation());
  EXPECT_TRUE(sameWeights(original.model, reloaded));  // parameters and batch-norm buffers
  EXPECT_TRUE(snapshot(*original.adam) == snapshot(*adam));
  EXPECT_EQ(snapshot(*adam).steps, std::vector<std::int64_t>(snapshot(*adam).steps.size(), 2));

  // The same step on both pairs: equal only if the moments and step counts came back.
  trainStep(original.model, *original.adam, 12);
  trainStep(reloaded, *adam, 12);
  EXPECT_TRUE(sameWeights(original.model, reloaded));

  const CheckpointInfo expected = sampleInfo();
  for (const CheckpointInfo& got : {info, model::readCheckpointInfo(path)}) {
    EXPECT_EQ(got.format, model::kCheckpointFormat);
    EXPECT_EQ(got.config, kTiny);
    EXPECT_EQ(got.schemeName, "pattern");
    EXPECT_EQ(got.classNames, kClasses);
    EXPECT_EQ(got.baseWeightsSha256, expected.baseWeightsSha256);
    EXPECT_EQ(got.trainingMode, "layer4");
    EXPECT_EQ(got.version, 7);
    EXPECT_EQ(got.labelCount, 123456789012);
    EXPECT_EQ(got.lastLabelId, 4242);
    EXPECT_EQ(got.createdTime, "2026-12-01T08:00:00Z");
    EXPECT_EQ(got.appVersion, std::string(kVersion));
    EXPECT_EQ(got.metrics, expected.metrics);
    EXPECT_EQ(got.optimizer, "Adam");
  }
}

TEST(Checkpoint, FillsCreationTimeAndRefusesClassNamesThatDoNotFitTheModel) {
  TempDir tmp;
  ResNet model = makeModel(1);
  CheckpointInfo info = sampleInfo();
  info.createdTime.clear();
  model::writeCheckpoint(tmp / "a.pt", model, nullptr, info);
  const std::string time = model::readCheckpointInfo(tmp / "a.pt").createdTime;
  EXPECT_EQ(time.size(), 20u) << time;  // 2026-12-01T08:00:00Z
  EXPECT_EQ(time.back(), 'Z');

  info.classNames[0] = "bad \xff UTF-8";
  try {
    model::writeCheckpoint(tmp / "b.pt", model, nullptr, info);
    ADD_FAILURE() << "written";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("b.pt"), std::string::npos) << e.what();
  }

  info.classNames.pop_back();
  try {
    model::writeCheckpoint(tmp / "b.pt", model, nullptr, info);
    ADD_FAILURE() << "written";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 class names but the model 4"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(tmp / "b.pt"));
}

TEST(Checkpoint, DamagedAndForeignFilesAreClearErrors) {
  TempDir tmp;
  const fs::path good = tmp / "good.pt";
  Trained trained(good);
  const std::string bytes = readFile(good);
  const std::uint64_t jsonSize = le64At(bytes, 12);
  const std::uint64_t payloadStart = 28 + jsonSize;

  const std::vector<std::pair<std::string, std::size_t>> cuts{{"magic", 5},
                                                              {"format", 10},
                                                              {"json length", 15},
                                                              {"json", 20 + jsonSize / 2},
                                                              {"payload length", 20 + jsonSize + 3},
                                                              {"payload", payloadStart + 1000},
                                                              {"checksum", bytes.size() - 10},
                                                              {"last byte", bytes.size() - 1}};
  for (const auto& [where, size] : cuts) {
    SCOPED_TRACE(where);
    const fs::path path = tmp / ("cut_" + std::to_string(size) + ".pt");
    writeFile(path, bytes.substr(0, size));
    expectUnreadable(path, {"truncated"});
  }

  std::string flipped = bytes;
  flipped[payloadStart + (bytes.size() - 32 - payloadStart) / 2] ^= 0x10;
  writeFile(tmp / "flipped.pt", flipped);
  expectUnreadable(tmp / "flipped.pt", {"checksum mismatch", "damaged"});

  writeFile(tmp / "longer.pt", bytes + "x");
  expectUnreadable(tmp / "longer.pt", {"1 unexpected bytes", "damaged"});

  writeFile(tmp / "empty.pt", "");
  expectUnreadable(tmp / "empty.pt", {"empty"});

  std::mt19937 random(5);
  std::string noise(4096, '\0');
  for (char& c : noise)
    c = static_cast<char>(random());
  writeFile(tmp / "noise.pt", noise);
  expectUnreadable(tmp / "noise.pt", {"not a camlabel checkpoint"});

  torch::save(torch::arange(10), (tmp / "tensor.pt").string());
  expectUnreadable(tmp / "tensor.pt", {"not a camlabel checkpoint", "zip"});

  expectUnreadable(tmp / "missing.pt", {"does not exist"});
  expectUnreadable(tmp.path(), {"not a regular file"});

  Parts newer = split(bytes);
  newer.format = model::kCheckpointFormat + 1;
  writeFile(tmp / "newer.pt", join(newer));
  expectUnreadable(tmp / "newer.pt", {"newer camlabel", "format 2"});

  Parts zero = split(bytes);
  zero.format = 0;
  writeFile(tmp / "zero.pt", join(zero));
  expectUnreadable(tmp / "zero.pt", {"format number (0)"});

  // Damage behind a valid checksum: a bug or a hand-edited file.
  Parts badJson = split(bytes);
  badJson.json = "{\"config\": ";
  writeFile(tmp / "json.pt", join(badJson));
  expectUnreadable(tmp / "json.pt", {"not valid JSON"});

  Parts noMode = split(bytes);
  auto header = nlohmann::json::parse(noMode.json);
  header.erase("trainingMode");
  noMode.json = header.dump();
  writeFile(tmp / "mode.pt", join(noMode));
  expectUnreadable(tmp / "mode.pt", {"lacks trainingMode"});

  Parts badBlocks = split(bytes);
  header = nlohmann::json::parse(badBlocks.json);
  header["config"]["blocks"] = {1, 1, 1};
  badBlocks.json = header.dump();
  writeFile(tmp / "blocks.pt", join(badBlocks));
  expectUnreadable(tmp / "blocks.pt", {"config.blocks"});

  // A huge length must be refused before anything is allocated.
  std::string huge = bytes;
  huge.replace(20 + jsonSize, 8, le(~std::uint64_t{0} - 5, 8));
  writeFile(tmp / "huge.pt", huge);
  expectUnreadable(tmp / "huge.pt", {"truncated"});
  huge = bytes;
  huge.replace(12, 8, le(std::uint64_t{1} << 40, 8));
  writeFile(tmp / "hugejson.pt", huge);
  expectUnreadable(tmp / "hugejson.pt", {"implausibly large"});

  // A payload LibTorch cannot parse: its exception becomes an InputError.
  Parts garbage = split(bytes);
  garbage.payload = noise;
  writeFile(tmp / "garbage.pt", join(garbage));
  EXPECT_NO_THROW(model::readCheckpointInfo(tmp / "garbage.pt"));
  ResNet model = makeModel(2);
  expectInputError(
      [&] { model::loadCheckpoint(tmp / "garbage.pt", model, nullptr, expectation()); },
      tmp / "garbage.pt", {"weights cannot be read"});

  // The original is still fine.
  EXPECT_NO_THROW(model::readCheckpointInfo(good));
}

// Loads that must fail and leave a trained model and its Adam as they were.
void expectRefusedAndUnchanged(const fs::path& path, const CheckpointExpectation& expected,
                               const std::vector<std::string>& words,
                               const ResNetConfig& config = kTiny, bool headFirst = false) {
  ResNet model = makeModel(3, config);
  auto adam = makeAdam(model, headFirst);
  if (config == kTiny) trainStep(model, *adam, 20);
  const auto weights = cloneWeights(model);
  const AdamSnapshot state = snapshot(*adam);
  expectInputError([&] { model::loadCheckpoint(path, model, adam.get(), expected); }, path, words);
  EXPECT_TRUE(weightsEqual(model, weights)) << "the model was changed";
  EXPECT_TRUE(snapshot(*adam) == state) << "the optimizer was changed";
}

TEST(Checkpoint, SchemeAndArchitectureMismatchesLeaveModelAndOptimizerUnchanged) {
  TempDir tmp;
  const fs::path path = tmp / "pattern_v7.pt";
  Trained trained(path);

  CheckpointExpectation features{kTiny, "features", kClasses};
  features.classNames.pop_back();
  features.config.numClasses = 3;
  expectRefusedAndUnchanged(
      path, features,
      {"made for class scheme 'pattern' (4 classes)", "the project uses 'features' (3 classes)"},
      features.config);

  CheckpointExpectation renamed = expectation();
  renamed.classNames[1] = "ground glass";
  expectRefusedAndUnchanged(path, renamed, {"names class 1 'すりガラス影'", "'ground glass'"});

  const ResNetConfig wider{{1, 1, 1, 1}, 16, 4};
  expectRefusedAndUnchanged(
      path, expectation(wider),
      {"made for a ResNet with blocks [1,1,1,1], width 8 and 4 classes", "width 16"}, wider);

  // The expectation fits the file, the model given does not.
  expectRefusedAndUnchanged(path, expectation(), {"width 16", "not the expected"}, wider);
}

TEST(Checkpoint, OptimizerThatDoesNotFitIsRefusedAndUnchanged) {
  TempDir tmp;
  const fs::path path = tmp / "pattern_v7.pt";
  Trained trained(path);

  // Groups in another order: the state would land on parameters of other shapes.
  expectRefusedAndUnchanged(path, expectation(), {"optimizer state does not fit", "group"}, kTiny,
                            /*headFirst=*/true);

  // One group instead of two: LibTorch's own check, turned into an InputError.
  {
    ResNet model = makeModel(3);
    torch::optim::Adam adam(model.module().parameters(), torch::optim::AdamOptions(1e-3));
    trainStep(model, adam, 20);
    const auto weights = cloneWeights(model);
    const AdamSnapshot state = snapshot(adam);
    expectInputError([&] { model::loadCheckpoint(path, model, &adam, expectation()); }, path,
                     {"optimizer state does not fit", "number of parameter groups"});
    EXPECT_TRUE(weightsEqual(model, weights));
    EXPECT_TRUE(snapshot(adam) == state);
  }

  // Another kind of optimizer.
  {
    ResNet model = makeModel(3);
    torch::optim::SGD sgd(model.module().parameters(), torch::optim::SGDOptions(0.1));
    const auto weights = cloneWeights(model);
    expectInputError([&] { model::loadCheckpoint(path, model, &sgd, expectation()); }, path,
                     {"holds Adam optimizer state", "uses SGD"});
    EXPECT_TRUE(weightsEqual(model, weights));
    EXPECT_TRUE(sgd.state().empty());
  }
}

TEST(Checkpoint, WeightsThatDoNotFitRollTheLoadedOptimizerBack) {
  TempDir tmp;
  const fs::path path = tmp / "pattern_v7.pt";
  Trained trained(path);

  // Rebuilt behind a valid checksum with fc.bias missing: the optimizer state loads, the weights
  // then fail, and the optimizer must get its previous state back.
  Parts parts = split(readFile(path));
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive weights(archive.compilation_unit());
  std::set<std::string> buffers;
  for (const auto& b : trained.model.module().named_buffers())
    buffers.insert(b.key());
  for (const auto& [name, tensor] : trained.model.stateDict()) {
    if (name != "fc.bias") weights.write(name, tensor, buffers.count(name) > 0);
  }
  archive.write("model", weights);
  torch::serialize::OutputArchive state(archive.compilation_unit());
  trained.adam->save(state);
  archive.write("optimizer", state);
  std::ostringstream payload;
  archive.save_to(payload);
  parts.payload = payload.str();
  writeFile(tmp / "nobias.pt", join(parts));

  expectRefusedAndUnchanged(tmp / "nobias.pt", expectation(), {"missing keys", "fc.bias"});
}

TEST(Checkpoint, WeightsOnlyCheckpointLoadsWithoutOptimizerOnly) {
  TempDir tmp;
  const fs::path path = tmp / "weights.pt";
  Trained trained(path, /*withOptimizer=*/false);
  EXPECT_EQ(model::readCheckpointInfo(path).optimizer, "");

  expectRefusedAndUnchanged(path, expectation(), {"holds no optimizer state"});

  ResNet model = makeModel(4);
  const CheckpointInfo info = model::loadCheckpoint(path, model, nullptr, expectation());
  EXPECT_TRUE(sameWeights(trained.model, model));
  EXPECT_EQ(info.version, 7);

  // Asked to, a trainer's load takes the weights and leaves its optimizer as it was, saying that
  // the file held no optimizer state.
  ResNet resumed = makeModel(6);
  auto adam = makeAdam(resumed, false);
  trainStep(resumed, *adam, 20);
  const AdamSnapshot before = snapshot(*adam);
  model::StateDict shown;
  const CheckpointInfo weightsOnly = model::loadCheckpoint(
      path, resumed, adam.get(), expectation(), &shown, model::WithoutOptimizerState::kLoadWeights);
  EXPECT_EQ(weightsOnly.optimizer, "");
  EXPECT_TRUE(sameWeights(trained.model, resumed));
  EXPECT_TRUE(snapshot(*adam) == before) << "the optimizer was changed";
  EXPECT_TRUE(shown.empty());

  // A checkpoint with optimizer state also loads for inference alone.
  Trained full(tmp / "full.pt");
  ResNet inference = makeModel(5);
  model::loadCheckpoint(tmp / "full.pt", inference, nullptr, expectation());
  EXPECT_TRUE(sameWeights(full.model, inference));
}

/// Writes a checkpoint of `trained` to `path` in a child process prepared by `setUp` (which
/// returns false when it cannot prepare), and returns the child's verdict: 0 when the write failed
/// with a camlabel::Error naming the path and containing `expected`, 1 another Error, 2 written,
/// 3 not prepared, 4 not a camlabel::Error.
int failedWriteInChild(Trained& trained, const fs::path& path, const std::function<bool()>& setUp,
                       const std::string& expected) {
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    if (!setUp()) _exit(3);
    try {
      model::writeCheckpoint(path, trained.model, trained.adam.get(), sampleInfo());
    } catch (const Error& e) {
      const std::string message = e.what();
      _exit(message.find(expected) != std::string::npos &&
                    message.find(path.string()) != std::string::npos
                ? 0
                : 1);
    } catch (...) {
      _exit(4);
    }
    _exit(2);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// The disk fills up half-way through the weights (a file-size limit in a child process): the
// error says so and names the file, the previous version is untouched, nothing is left behind.
TEST(Checkpoint, DiskFullMidWriteLeavesThePreviousFileIntact) {
  TempDir tmp;
  fs::create_directory(tmp / "models");
  const fs::path path = tmp / "models/pattern_v7.pt";
  Trained trained(path);
  const std::string before = readFile(path);
  trainStep(trained.model, *trained.adam, 30);
  const int verdict = failedWriteInChild(
      trained, path,
      [&before] {
        signal(SIGXFSZ, SIG_IGN);  // the write returns EFBIG instead of killing the process
        const rlim_t half = before.size() / 2;
        const rlimit limit{half, half};
        return setrlimit(RLIMIT_FSIZE, &limit) == 0;
      },
      "write failed");
  EXPECT_EQ(verdict, 0) << "1: another error, 2: written, 4: not a camlabel::Error";
  EXPECT_EQ(readFile(path), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp / "models"), fs::directory_iterator()), 1)
      << "a temporary file is left";
}

TEST(Checkpoint, FailedWriteLeavesThePreviousFileIntact) {
  TempDir tmp;
  fs::create_directory(tmp / "models");
  const fs::path path = tmp / "models/pattern_v7.pt";
  Trained trained(path);
  const std::string before = readFile(path);

  // A folder only root may write to; root ignores permissions, so the write runs in a child that
  // gives up root first (CI runs as root), as tests/project/project_failure_test.cpp does.
  fs::permissions(tmp.path(),
                  fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::permissions(tmp / "models", fs::perms::owner_read | fs::perms::owner_exec |
                                      fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
  trainStep(trained.model, *trained.adam, 30);
  const int verdict = failedWriteInChild(
      trained, path, [] { return geteuid() != 0 || (setgid(65534) == 0 && setuid(65534) == 0); },
      "Permission denied");
  EXPECT_EQ(verdict, 0) << "1: another error, 2: written, 3: cannot drop root";
  fs::permissions(tmp / "models", fs::perms::owner_all);
  EXPECT_EQ(readFile(path), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp / "models"), fs::directory_iterator()), 1)
      << "a temporary file is left";
  EXPECT_EQ(model::readCheckpointInfo(path).version, 7);

  // A folder that is a file fails for root too.
  writeFile(tmp / "file", "x");
  try {
    model::writeCheckpoint(tmp / "file/ckpt.pt", trained.model, nullptr, sampleInfo());
    ADD_FAILURE() << "written";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("file/ckpt.pt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace camlabel::test
