// SPDX-License-Identifier: Apache-2.0
#include "core/session/session.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/sha256.h"
#include "core/explain/cam_render.h"
#include "core/imaging/window.h"
#include "core/model/checkpoint.h"
#include "core/model/input_tensor.h"
#include "core/model/top_classes.h"
#include "core/project/export.h"
#include "core/session/evaluation.h"
#include "core/session/prequential.h"
#include "core/team/team_server.h"

namespace camlabel::session {

namespace fs = std::filesystem;

// An import beside the labelling commits what it read at least this often: a label waits for
// one such commit at most, and a cancel keeps everything read so far.
constexpr std::chrono::milliseconds kImportCommitEvery{250};

// Slices per forward pass when caching trunk features for active learning: small, so a
// prediction the window asks for waits for at most a few slices' worth.
constexpr std::size_t kFeatureBatch = 4;

std::vector<std::pair<int, fs::path>> findVersionFiles(const fs::path& modelsDir,
                                                       const std::string& schemeName) {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code ec;
  if (!fs::is_directory(modelsDir, ec)) return found;
  const std::string prefix = learning::versionFilePrefix(schemeName);
  for (const auto& entry : fs::directory_iterator(modelsDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + 3 || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - 3, 3, ".pt") != 0) {
      continue;
    }
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    if (digits.empty() || digits.size() > 6 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    found.emplace_back(std::stoi(digits), entry.path());
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  return found;
}

struct Session::Impl : learning::TrainerObserver {
  SessionOptions options;
  std::unique_ptr<project::Project> project;
  std::mutex storeMutex;  ///< the project is used from the GUI, inference and trainer threads
  /// A team project's training set: the class the trainer learns each slice from (issue 15);
  /// null otherwise. Used under storeMutex, but for consensus() (the trainer's thread); it
  /// outlives the sender and the trainer, which use it.
  std::unique_ptr<TeamTrainingSet> teamSet;
  /// A team project's sender of labels to its server (issue 15); null otherwise.
  std::unique_ptr<team::LabelSync> teamSync;
  void labelsChanged() {
    if (teamSync) teamSync->notify();
  }

  /// What the trainer is to be told, gathered under storeMutex and told after (the trainer's
  /// observer callbacks take storeMutex).
  struct TrainerOp {
    enum class Kind { kSubmit, kRestore, kRetract } kind;
    learning::TrainingExample example;
  };
  using TrainerOps = std::vector<TrainerOp>;

  /// Decides the class the trainer learns the image from (storeMutex held): `how` for a change;
  /// `pressed`: a label was just given, which gets its steps even when the class is unchanged.
  void decideImage(const project::ImageRecord& record, TrainerOp::Kind how, TrainerOps& ops,
                   bool pressed = false) {
    const std::optional<project::CurrentLabel> own = project->currentLabel(record.id);
    std::optional<int> ownClass;
    if (own && !own->skipped) ownClass = own->classIndex;
    const TeamDecision decision = teamSet->decide(record.sha256, ownClass, own && own->skipped);
    const bool changed = teamSet->hand(record.id, decision);
    if (!decision.classIndex) {
      if (changed) ops.push_back({TrainerOp::Kind::kRetract, {0, record.id, {}, 0}});
      return;
    }
    if (!changed && !pressed) return;
    ops.push_back(
        {how, {ownClass ? own->labelId : 0, record.id, fileOf(record), *decision.classIndex}});
  }

  void tell(const TrainerOps& ops) {
    for (const TrainerOp& op : ops) {
      switch (op.kind) {
        case TrainerOp::Kind::kSubmit:
          trainer->submit(op.example);
          break;
        case TrainerOp::Kind::kRestore:
          trainer->restore(op.example);
          break;
        case TrainerOp::Kind::kRetract:
          trainer->retract(op.example.imageId);
          break;
      }
    }
  }

  /// The weights the trainer resumed from were trained on the team's consensus: the team's
  /// labels then join the replay pool without steps of their own when the project opens (the
  /// weights saw them); otherwise, as every later label of the team, they get steps.
  bool resumedOnConsensus = false;
  static bool trainedOnConsensus(const model::CheckpointInfo& info) {
    return info.metrics.value("labels_from", std::string()) == "team consensus";
  }
  TrainerOp::Kind howAfterLoading() const {
    return resumedOnConsensus ? TrainerOp::Kind::kRestore : TrainerOp::Kind::kSubmit;
  }

  /// The team's slices as the server holds them now (the label sender's thread): the slices
  /// that changed are decided again (the first view: every slice, see howAfterLoading()).
  void teamViewRead(const team::TeamView& view) {
    TrainerOps ops;
    {
      const std::lock_guard lock(storeMutex);
      if (!project) return;
      const bool first = !teamSet->viewRead();
      const auto how = first ? howAfterLoading() : TrainerOp::Kind::kSubmit;
      for (const std::string& sha : teamSet->setView(view))
        if (const auto record = project->findImageBySha256(sha)) decideImage(*record, how, ops);
    }
    tell(ops);
  }

  /// Decides every slice of the team's view and every slice the trainer has again (storeMutex
  /// held): after the trainer's labels were reloaded, or the setting changed.
  void decideAll(TrainerOp::Kind how, TrainerOps& ops) {
    std::set<std::int64_t> done;
    for (const std::string& sha : teamSet->viewed()) {
      if (const auto record = project->findImageBySha256(sha)) {
        decideImage(*record, how, ops);
        done.insert(record->id);
      }
    }
    for (const std::int64_t imageId : teamSet->handedImages())
      if (done.count(imageId) == 0) decideImage(project->image(imageId), how, ops);
  }
  std::unique_ptr<learning::Trainer> trainer;
  ResumeReport report;
  project::ProjectSettings settings;  ///< a copy: valid after close() too
  std::string annotator;
  std::vector<std::string> classNames;

  std::mutex inferenceMutex;  ///< the inference network, one request at a time
  std::unique_ptr<model::ResNet> inferenceNet;
  std::shared_ptr<const learning::Snapshot> applied;
  imaging::ModelInputSpec spec;
  bool trunkRandom = true;

  std::mutex beforeMutex;  ///< the "before" model, built on first use
  std::unique_ptr<model::Classifier> before;
  model::ResNetConfig networkConfig;

  /// Which model made a "before" prediction or heatmap.
  learning::ModelName beforeName(const model::ModelInfo& info) const {
    learning::ModelName name;
    name.kind = info.untrained ? learning::ModelName::Kind::kImageNetRandom
                               : learning::ModelName::Kind::kImageNet;
    if (!info.untrained) name.source = settings.baseWeights.filename().string();
    return name;
  }

  /// The slice as the model takes it, on the session's device.
  at::Tensor input(const imaging::CtImage& image) const {
    return model::modelInput(image, spec, std::nullopt, options.device);
  }

  model::Classifier& beforeModel() {
    if (!before) {
      model::ClassifierOptions o;
      if (!settings.baseWeights.empty()) o.weights = settings.baseWeights;
      o.seed = static_cast<std::uint64_t>(settings.seed);
      o.device = options.device;
      o.config = networkConfig;
      o.config.numClasses = 1000;
      o.inputSpec = spec;
      before = std::make_unique<model::Classifier>(o);
    }
    return *before;
  }

  std::vector<Explanation> explainWith(model::ResNet& net, const std::vector<std::string>& names,
                                       std::int64_t imageId, const imaging::CtImage& image,
                                       const at::Tensor& input, const explain::CamRequest& request,
                                       const learning::ModelName& name, std::uint64_t serial,
                                       at::Tensor* probabilities = nullptr) {
    std::vector<Explanation> out;
    for (const explain::CamResult& r : explain::computeCam(net, input, request)) {
      Explanation e;
      e.imageId = imageId;
      e.classIndex = r.classIndex;
      e.className = names.at(static_cast<std::size_t>(r.classIndex));
      e.probability = r.probability;
      e.raw = explain::camToMat(r.raw);
      e.map = explain::camToMat(
          explain::upsampleAndNormalize(r.raw, image.values.rows, image.values.cols));
      e.model = name;
      e.snapshotSerial = serial;
      if (probabilities != nullptr) *probabilities = r.probabilities;
      out.push_back(std::move(e));
    }
    return out;
  }

  /// Pooled layer4 features of a slice, and the snapshot that computed them (active learning).
  struct CachedFeatures {
    std::vector<float> pooled;
    std::uint64_t serial = 0;
  };
  std::mutex featuresMutex;
  std::map<std::int64_t, CachedFeatures> features;
  std::set<std::int64_t> featuresUnreadable;

  /// The undecided slices, in natural order, restricted to `among` when it is not empty.
  std::vector<std::int64_t> undecided(const std::vector<std::int64_t>& among) {
    std::vector<std::int64_t> ids;
    {
      const std::lock_guard lock(storeMutex);
      ids = store().undecidedImages();
      // Double reading: not the slices that have their readings without this reader.
      if (teamSet) std::erase_if(ids, [&](std::int64_t id) { return !teamSet->offered(id); });
    }
    if (among.empty()) return ids;
    const std::set<std::int64_t> wanted(among.begin(), among.end());
    std::erase_if(ids, [&](std::int64_t id) { return wanted.count(id) == 0; });
    return ids;
  }

  /// The first undecided slice after `after` (from the start when empty) that is this
  /// reader's to label (storeMutex held).
  std::optional<std::int64_t> nextOffered(std::optional<std::int64_t> after) {
    std::optional<std::int64_t> next = store().nextUnlabelled(after);
    while (next && teamSet && !teamSet->offered(*next))
      next = store().nextUnlabelled(next);
    return next;
  }
  /// After `imageId`, else from the start.
  std::optional<std::int64_t> nextOfferedAround(std::int64_t imageId) {
    const std::optional<std::int64_t> next = nextOffered(imageId);
    return next ? next : nextOffered(std::nullopt);
  }

  std::mutex predictionsMutex;
  std::map<std::int64_t, ShownPrediction> lastPredictions;  ///< context for labels
  bool closed = false;

  /// The project; throws once the session is closed.
  project::Project& store() {
    if (!project) throw Error("the annotation session is closed");
    return *project;
  }

  void snapshotPublished(const std::shared_ptr<const learning::Snapshot>& snapshot) override {
    if (options.published) options.published(snapshot->serial, snapshot->labelsSeen);
  }

  void statusChanged() override {
    if (options.trainingStatusChanged) options.trainingStatusChanged();
  }

  /// A version's row is committed without waiting for the disk (WAL, synchronous=NORMAL: the
  /// next label's commit makes it durable). Just after a version file of hundreds of megabytes
  /// was written, an fsync can take 100 ms and more, and the window's thread would wait for it
  /// on storeMutex; a row lost to a crash costs nothing, resume() registers the file.
  class WithoutFsync {
   public:
    explicit WithoutFsync(project::Project* p) : project_(p) {
      if (project_) project_->database().exec("PRAGMA synchronous=NORMAL");
    }
    ~WithoutFsync() {
      try {
        if (project_) project_->database().exec("PRAGMA synchronous=FULL");
      } catch (const std::exception&) {
        // Labels must never be acknowledged without an fsync: stop here (every label given so
        // far is on the disk) rather than go on.
        std::terminate();
      }
    }
    WithoutFsync(const WithoutFsync&) = delete;
    WithoutFsync& operator=(const WithoutFsync&) = delete;

   private:
    project::Project* project_;
  };

  void checkpointWritten(const learning::CheckpointWritten& written) override {
    project::ModelVersion version;
    version.version = written.version;
    version.file = written.file.filename().string();
    version.sha256 = written.sha256;
    version.labelsSeen = written.labelsSeen;
    version.time = written.time;
    version.metricsJson = nlohmann::json{
        {"mean_loss", written.meanLoss},
        {"last_label_id",
         written.lastLabelId}}.dump();
    try {
      const std::lock_guard lock(storeMutex);
      const WithoutFsync quick(project.get());
      if (project) project->addModelVersion(version);
    } catch (const std::exception&) {
      // The file is on disk and verifies; the next open registers it (see resume()).
    }
  }

  void checkpointThinned(const learning::CheckpointWritten& thinned) override {
    try {
      const std::lock_guard lock(storeMutex);
      const WithoutFsync quick(project.get());
      if (project) project->setModelVersionSha256(thinned.version, thinned.sha256);
    } catch (const std::exception&) {
      // A version written before its row (a crash between the two) is registered with the
      // file's checksum on the next open; the weights it shows are the same either way.
    }
  }

  learning::TrainingExample example(const project::CurrentLabel& label) {
    learning::TrainingExample e;
    e.labelId = label.labelId;
    e.imageId = label.imageId;
    e.classIndex = label.classIndex;
    e.file = fileOf(project->image(label.imageId));
    return e;
  }

  /// Where an image should be; the trainer reports it if it is gone.
  fs::path fileOf(const project::ImageRecord& record) const {
    return project->settings().imageRoot / fs::path(record.relativePath);
  }

  /// Version files in the order a session should try them: files written but not recorded
  /// after the newest recorded one (a crash between the two), then the current version, then
  /// the others, newest first.
  std::vector<std::pair<int, fs::path>> candidates(std::map<int, bool>& recorded) {
    const fs::path modelsDir = project->dir() / "models";
    std::vector<std::pair<int, fs::path>> ordered;
    std::optional<std::pair<int, fs::path>> current;
    std::map<int, fs::path, std::greater<>> others;
    int newestRecorded = 0;
    for (const project::ModelVersion& v : project->modelVersions()) {
      recorded[v.version] = true;
      newestRecorded = std::max(newestRecorded, v.version);
      if (v.isCurrent) {
        current.emplace(v.version, modelsDir / v.file);
      } else {
        others.emplace(v.version, modelsDir / v.file);
      }
    }
    for (const auto& [version, file] :
         findVersionFiles(modelsDir, project->settings().scheme.name)) {
      trainer->setHighestVersion(version);
      if (recorded.count(version) != 0) continue;
      if (version > newestRecorded) {
        ordered.emplace_back(version, file);
      } else {
        others.emplace(version, file);
      }
    }
    if (current) ordered.push_back(*current);
    for (const auto& entry : others)
      ordered.push_back(entry);
    return ordered;
  }

  /// Loads the first candidate that verifies into the (stopped) trainer; the base model when
  /// none does.
  void resume() {
    std::map<int, bool> recorded;
    for (const auto& [version, file] : candidates(recorded)) {
      trainer->setHighestVersion(version);
      try {
        const model::CheckpointInfo info = trainer->resume(file);
        report.version = info.version;
        report.checkpoint = file;
        resumedOnConsensus = trainedOnConsensus(info);
        if (!recorded[version]) {
          project::ModelVersion v;
          v.version = version;
          v.file = file.filename().string();
          v.sha256 = sha256File(file);
          v.labelsSeen = info.labelCount;
          v.time = info.createdTime;
          v.metricsJson = info.metrics.dump();
          project->addModelVersion(v);
        }
        break;
      } catch (const model::CheckpointMismatch& e) {
        // Not damage: the project's own model does not fit this session's network. Starting
        // from the base model would silently drop everything learned.
        throw Error(std::string(e.what()) +
                    "; open the project with the network it was trained with");
      } catch (const std::exception& e) {
        report.skippedCheckpoints.push_back(e.what());
      }
    }
    report.labelsRetrained = loadLabels();
    report.position = project->position();
  }

  /// Hands the store's current labels to the (stopped) trainer: those its weights already
  /// reflect join the replay pool, later ones are queued to be trained again, in the order they
  /// were given. Returns how many were queued.
  std::int64_t loadLabels() {
    trainer->clearLabels();
    const std::int64_t trainedUpTo = trainer->latest()->lastLabelId;
    std::vector<learning::TrainingExample> again;
    std::map<std::int64_t, int> given;
    report.labelsInStore = 0;
    project->forEachCurrentLabel([&](const project::ImageRecord& record,
                                     const project::CurrentLabel& label) {
      if (label.skipped) return;
      ++report.labelsInStore;
      given[label.imageId] = label.classIndex;
      learning::TrainingExample e{label.labelId, label.imageId, fileOf(record), label.classIndex};
      if (e.labelId <= trainedUpTo) {
        trainer->addTrained(e);
      } else {
        again.push_back(std::move(e));
      }
    });
    std::sort(again.begin(), again.end(),
              [](const auto& a, const auto& b) { return a.labelId < b.labelId; });
    for (const auto& e : again)
      trainer->submit(e);
    if (teamSet) teamSet->resetHanded(given);
    return static_cast<std::int64_t>(again.size());
  }

  void refreshInferenceWeights() {
    auto latest = trainer->latest();
    if (!applied || applied->serial != latest->serial) {
      learning::applySnapshot(*latest, *inferenceNet);
      applied = std::move(latest);
    }
  }
};

Session::Session() : impl_(std::make_unique<Impl>()) {}

Session::~Session() {
  close();
}

std::unique_ptr<Session> Session::open(const fs::path& projectDir, SessionOptions options) {
  std::unique_ptr<Session> session(new Session());
  Impl& s = *session->impl_;
  s.options = std::move(options);
  s.annotator = s.options.annotator.empty() ? project::defaultReaderName() : s.options.annotator;
  s.project = project::Project::open(projectDir);
  s.settings = s.project->settings();
  const project::ProjectSettings& settings = s.settings;

  learning::TrainerOptions t;
  t.config = s.options.config;
  t.schemeName = settings.scheme.name;
  t.classNames = settings.scheme.englishNames();
  if (!settings.baseWeights.empty()) {
    t.baseWeights = settings.baseWeights;
    t.baseWeightsSha256 = settings.baseWeightsSha256;
  }
  t.seed = static_cast<std::uint64_t>(settings.seed);
  t.device = s.options.device;
  t.inputSpec.size = settings.modelSize;
  t.mode = learning::resolveTrainingMode(settings.trainingMode, !settings.baseWeights.empty());
  t.snapshotEvery = settings.snapshotEvery;
  t.modelsDir = s.project->dir() / "models";
  if (!settings.teamServer.empty()) {
    s.teamSet = std::make_unique<TeamTrainingSet>(s.annotator, settings.teamTraining != "own");
    t.labelSource = [set = s.teamSet.get()] {
      return std::string(set->consensus() ? "team consensus" : "own labels");
    };
  }
  if (s.options.tuneTrainer) s.options.tuneTrainer(t);
  s.classNames = t.classNames;
  s.spec = t.inputSpec;
  s.trunkRandom = !t.baseWeights.has_value();
  s.networkConfig = t.config;

  s.trainer = std::make_unique<learning::Trainer>(t, &s);
  model::ResNetConfig config = t.config;
  config.numClasses = static_cast<int>(t.classNames.size());
  s.inferenceNet = std::make_unique<model::ResNet>(config);
  s.inferenceNet->to(t.device);
  s.inferenceNet->eval();
  s.resume();
  s.refreshInferenceWeights();
  if (s.options.train) s.trainer->start();
  if (!settings.teamServer.empty()) {
    team::SyncOptions sync;
    sync.attempted = s.options.teamStatusChanged;
    sync.teamRead = [&s](const team::TeamView& view) { s.teamViewRead(view); };
    if (s.options.teamReadEvery) sync.readEvery = *s.options.teamReadEvery;
    s.teamSync = std::make_unique<team::LabelSync>(s.project->dir(), settings.teamServer,
                                                   settings.workstationId, sync);
  }
  return session;
}

const ResumeReport& Session::resumeReport() const {
  return impl_->report;
}
const project::ProjectSettings& Session::settings() const {
  return impl_->settings;
}
const std::string& Session::annotator() const {
  return impl_->annotator;
}

std::int64_t Session::imageCount() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().imageCount();
}
project::ImageRecord Session::image(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().image(imageId);
}
std::optional<project::ImageRecord> Session::imageAt(std::int64_t index) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().imageAt(index);
}
std::optional<project::ImageRecord> Session::findImage(const std::string& relativePath) {
  const std::lock_guard lock(impl_->storeMutex);
  return project::findImageByName(impl_->store(), relativePath);
}
std::int64_t Session::indexOf(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().indexOf(imageId);
}
std::optional<project::SliceLocation> Session::sliceLocation(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().sliceLocation(imageId);
}
std::optional<project::ImageRecord> Session::neighbourInSeries(std::int64_t imageId, int step) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().neighbourInSeries(imageId, step);
}
std::optional<std::int64_t> Session::position() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().position();
}
std::optional<std::int64_t> Session::startingImage() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().startingImage();
}
std::optional<std::int64_t> Session::nextUnlabelled(std::optional<std::int64_t> after) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->nextOffered(after);
}

bool Session::offered(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return !impl_->teamSet || impl_->teamSet->offered(imageId);
}

std::optional<std::int64_t> Session::insteadOfStart(std::int64_t imageId) {
  if (offered(imageId) || currentLabel(imageId)) return std::nullopt;
  std::optional<std::int64_t> next = nextUnlabelled(imageId);
  return next ? next : nextUnlabelled();
}

int Session::refreshFeatures(int maxImages, const std::vector<std::int64_t>& among) {
  Impl& s = *impl_;
  if (maxImages <= 0) return 0;
  const std::vector<std::int64_t> undecided = s.undecided(among);
  const std::uint64_t newest = s.trainer->latest()->serial;
  // Never scored first (key 0, natural order kept by the stable sort), then the stalest.
  std::vector<std::pair<std::uint64_t, std::int64_t>> due;
  {
    const std::lock_guard lock(s.featuresMutex);
    for (const std::int64_t id : undecided) {
      if (s.featuresUnreadable.count(id) != 0) continue;
      const auto it = s.features.find(id);
      if (it == s.features.end()) {
        due.emplace_back(0, id);
      } else if (it->second.serial != newest) {
        due.emplace_back(it->second.serial + 1, id);
      }
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (due.size() > static_cast<std::size_t>(maxImages)) due.resize(maxImages);

  int computed = 0;
  for (std::size_t start = 0; start < due.size(); start += kFeatureBatch) {
    std::vector<at::Tensor> inputs;
    std::vector<std::int64_t> ids;
    for (std::size_t k = start; k < std::min(due.size(), start + kFeatureBatch); ++k) {
      const std::int64_t id = due[k].second;
      try {
        const imaging::CtImage image = loadImage(id);
        inputs.push_back(model::modelInput(image, s.spec));
        ids.push_back(id);
      } catch (const Error&) {
        const std::lock_guard lock(s.featuresMutex);
        s.featuresUnreadable.insert(id);
      }
    }
    if (ids.empty()) continue;
    at::Tensor pooled;
    std::uint64_t serial = 0;
    {
      const std::lock_guard lock(s.inferenceMutex);
      s.refreshInferenceWeights();
      torch::NoGradGuard noGrad;
      pooled = s.inferenceNet
                   ->features(torch::cat(inputs).to(s.options.device), model::ResNetLayer::kLayer4)
                   .mean({2, 3})
                   .to(torch::kCPU, torch::kFloat)
                   .contiguous();
      serial = s.applied->serial;
    }
    const auto dims = pooled.size(1);
    const std::lock_guard lock(s.featuresMutex);
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const float* row = pooled.data_ptr<float>() + static_cast<std::int64_t>(k) * dims;
      s.features[ids[k]] = {std::vector<float>(row, row + dims), serial};
      ++computed;
    }
  }
  return computed;
}

std::optional<Suggestion> Session::suggestNext(learning::LabellingOrder order,
                                               const SuggestOptions& options) {
  Impl& s = *impl_;
  std::vector<std::int64_t> undecided = s.undecided(options.among);
  std::erase_if(undecided, [&](std::int64_t id) {
    return std::find(options.exclude.begin(), options.exclude.end(), id) != options.exclude.end();
  });
  if (undecided.empty()) return std::nullopt;
  Suggestion out;
  out.order = order;
  out.undecided = static_cast<std::int64_t>(undecided.size());
  const std::set<std::int64_t> eligible(undecided.begin(), undecided.end());

  const auto inFileOrder = [&] {
    const std::lock_guard lock(s.storeMutex);
    std::optional<std::int64_t> next = options.after;
    // The first eligible undecided slice after `after`, then from the start.
    for (int pass = 0; pass < 2; ++pass) {
      next = s.store().nextUnlabelled(pass == 0 ? next : std::nullopt);
      while (next && eligible.count(*next) == 0)
        next = s.store().nextUnlabelled(next);
      if (next) return *next;
    }
    return undecided.front();
  };

  switch (order) {
    case learning::LabellingOrder::kFile:
      out.imageId = inFileOrder();
      return out;
    case learning::LabellingOrder::kRandom: {
      std::mt19937_64 rng(static_cast<std::uint64_t>(s.settings.seed) * 0x9E3779B97F4A7C15ULL +
                          undecided.size());
      std::uniform_int_distribution<std::size_t> pick(0, undecided.size() - 1);
      out.imageId = undecided[pick(rng)];
      return out;
    }
    case learning::LabellingOrder::kSpread: {
      std::vector<learning::SeriesSlice> slices;
      {
        const std::lock_guard lock(s.storeMutex);
        s.store().forEachSeriesMember(
            [&](std::int64_t id, const std::string& series, bool decided) {
              slices.push_back({id, series, decided, eligible.count(id) > 0});
            });
      }
      out.imageId = learning::chooseSpread(slices).value_or(undecided.front());
      return out;
    }
    case learning::LabellingOrder::kUncertain:
      break;
  }

  std::set<int> labelledClasses;
  std::vector<std::int64_t> labelled;
  {
    const std::lock_guard lock(s.storeMutex);
    s.store().forEachCurrentLabel(
        [&](const project::ImageRecord& image, const project::CurrentLabel& label) {
          if (label.skipped) return;
          labelled.push_back(image.id);
          labelledClasses.insert(label.classIndex);
        });
  }
  std::vector<learning::ScoredImage> candidates;
  std::vector<std::vector<float>> labelledEmbeddings;
  std::vector<float> stacked;
  {
    const std::lock_guard lock(s.featuresMutex);
    for (const std::int64_t id : undecided) {
      const auto it = s.features.find(id);
      if (it == s.features.end()) continue;
      learning::ScoredImage c;
      c.imageId = id;
      c.embedding = learning::normalised(it->second.pooled);
      stacked.insert(stacked.end(), it->second.pooled.begin(), it->second.pooled.end());
      candidates.push_back(std::move(c));
    }
    for (const std::int64_t id : labelled)
      if (const auto it = s.features.find(id); it != s.features.end())
        labelledEmbeddings.push_back(learning::normalised(it->second.pooled));
  }
  out.scored = static_cast<std::int64_t>(candidates.size());
  if (candidates.empty()) {
    out.imageId = inFileOrder();
    return out;
  }
  bool learned = false;
  {
    const auto n = static_cast<std::int64_t>(candidates.size());
    const auto dims = static_cast<std::int64_t>(stacked.size()) / n;
    const at::Tensor pooled = torch::from_blob(stacked.data(), {n, dims, 1, 1}, torch::kFloat);
    const std::lock_guard lock(s.inferenceMutex);
    s.refreshInferenceWeights();
    learned = s.applied->labelsSeen > 0 && labelledClasses.size() >= 2;
    torch::NoGradGuard noGrad;
    const at::Tensor p =
        s.inferenceNet->head(pooled.to(s.options.device), model::ResNetLayer::kLayer4)
            .softmax(1)
            .to(torch::kCPU, torch::kFloat)
            .contiguous();
    const auto classes = p.size(1);
    for (std::int64_t i = 0; i < n; ++i) {
      const float* row = p.data_ptr<float>() + i * classes;
      candidates[static_cast<std::size_t>(i)].probabilities.assign(row, row + classes);
    }
  }
  out.choice = learning::chooseInformative(candidates, labelledEmbeddings, learned);
  out.imageId = out.choice->imageId;
  return out;
}

void Session::goTo(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  impl_->store().image(imageId);  // throws for an unknown id
  impl_->store().setPosition(imageId);
}
std::optional<project::CurrentLabel> Session::currentLabel(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().currentLabel(imageId);
}
std::vector<project::ReaderDecision> Session::readerDecisions() {
  if (!impl_->settings.teamServer.empty()) {
    team::TeamServer server(impl_->settings.teamServer);
    return team::toReaderDecisions(server.readerDecisions());
  }
  const std::lock_guard lock(impl_->storeMutex);
  return project::readerDecisions(impl_->store());
}
std::optional<team::SyncStatus> Session::teamStatus() const {
  if (!impl_->teamSync) return std::nullopt;
  return impl_->teamSync->status();
}
std::optional<TeamTraining> Session::teamTraining() const {
  if (!impl_->teamSet) return std::nullopt;
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->teamSet->summary();
}
void Session::setTeamTraining(bool consensus) {
  Impl& s = *impl_;
  if (!s.teamSet) throw Error("this project is not a team project: it trains on its own labels.");
  Impl::TrainerOps ops;
  {
    const std::lock_guard lock(s.storeMutex);
    s.store().setTeamTraining(consensus ? "consensus" : "own");
    s.settings.teamTraining = s.store().settings().teamTraining;
    s.teamSet->setConsensus(consensus);
    s.decideAll(Impl::TrainerOp::Kind::kSubmit, ops);
  }
  s.tell(ops);
  s.statusChanged();  // what the model learns from is part of what the window shows
}
std::optional<project::ReaderDecision> Session::ownDecision(std::int64_t imageId) {
  const std::lock_guard lock(impl_->storeMutex);
  return project::readerDecision(impl_->store(), imageId, impl_->annotator);
}
project::ProjectCounts Session::counts() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().counts();
}
learning::PrequentialMetrics Session::prequential(int window) {
  const std::lock_guard lock(impl_->storeMutex);
  return learning::prequentialAccuracy(prequentialRecords(impl_->store()),
                                       static_cast<int>(impl_->classNames.size()), window);
}
std::vector<project::ModelVersion> Session::modelVersions() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().modelVersions();
}

std::filesystem::path Session::projectDir() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().dir();
}
std::vector<std::pair<project::ImageRecord, int>> Session::labelledImages() {
  const std::lock_guard lock(impl_->storeMutex);
  std::vector<std::pair<project::ImageRecord, int>> images;
  impl_->store().forEachCurrentLabel(
      [&](const project::ImageRecord& image, const project::CurrentLabel& label) {
        if (!label.skipped) images.emplace_back(image, label.classIndex);
      });
  return images;
}

project::ImportReport Session::importImages(const std::optional<fs::path>& folder,
                                            ProgressDelegate* progress) {
  // Files are hashed and probed outside storeMutex; the store is held only to look a path up and
  // to commit a batch, so labels given meanwhile wait milliseconds, not the whole import.
  fs::path root;
  {
    const std::lock_guard lock(impl_->storeMutex);
    root = impl_->store().settings().imageRoot;
  }
  return project::importInBatches(
      root, folder,
      [this](const std::string& relativePath) {
        const std::lock_guard lock(impl_->storeMutex);
        return impl_->store().findImage(relativePath).has_value();
      },
      [this](const std::vector<project::ImportCandidate>& batch, project::ImportReport& report) {
        const std::lock_guard lock(impl_->storeMutex);
        impl_->store().addImportCandidates(batch, report);
      },
      kImportCommitEvery, /*keepOnCancel=*/true, progress);
}

void Session::saveTrainingSettings(int snapshotEvery, const std::string& trainingMode) {
  {
    const std::lock_guard lock(impl_->storeMutex);
    impl_->store().setTrainingSettings(snapshotEvery, trainingMode);
  }
  impl_->statusChanged();  // the window shows what the next opening will train
}

project::ProjectSettings Session::storedSettings() {
  const std::lock_guard lock(impl_->storeMutex);
  return impl_->store().settings();
}

namespace {

project::LabelContext contextFor(const std::optional<ShownPrediction>& shown) {
  project::LabelContext context;
  if (shown && !shown->prediction.top.empty()) {
    context.modelVersion = shown->version;
    context.predictedClass = shown->prediction.top.front().index;
    context.probability = shown->prediction.top.front().probability;
  }
  return context;
}

}  // namespace

LabelOutcome Session::label(std::int64_t imageId, int classIndex) {
  Impl& s = *impl_;
  // Before anything else: a class outside the scheme changes nothing.
  s.settings.scheme.checkClass(classIndex);
  std::optional<ShownPrediction> shown;
  {
    const std::lock_guard lock(s.predictionsMutex);
    if (const auto it = s.lastPredictions.find(imageId); it != s.lastPredictions.end())
      shown = it->second;
  }
  LabelOutcome outcome;
  Impl::TrainerOps ops;
  {
    const std::lock_guard lock(s.storeMutex);
    outcome.labelId = s.store().label(imageId, classIndex, s.annotator, contextFor(shown));
    outcome.next = s.nextOfferedAround(imageId);
    s.store().setPosition(outcome.next.value_or(imageId));
    s.labelsChanged();
    const project::ImageRecord record = s.store().image(imageId);
    if (s.teamSet) {
      // The team's consensus decides (an adjudication, or another reader disagreeing).
      s.decideImage(record, Impl::TrainerOp::Kind::kSubmit, ops, /*pressed=*/true);
    } else {
      ops.push_back({Impl::TrainerOp::Kind::kSubmit,
                     {outcome.labelId, imageId, s.fileOf(record), classIndex}});
    }
  }
  s.tell(ops);
  return outcome;
}

LabelOutcome Session::skip(std::int64_t imageId) {
  Impl& s = *impl_;
  std::optional<ShownPrediction> shown;
  {
    const std::lock_guard lock(s.predictionsMutex);
    if (const auto it = s.lastPredictions.find(imageId); it != s.lastPredictions.end())
      shown = it->second;
  }
  LabelOutcome outcome;
  Impl::TrainerOps ops;
  {
    const std::lock_guard lock(s.storeMutex);
    outcome.labelId = s.store().skip(imageId, s.annotator, contextFor(shown));
    outcome.next = s.nextOfferedAround(imageId);
    s.store().setPosition(outcome.next.value_or(imageId));
    s.labelsChanged();
    // A skipped image has no class of this reader: it leaves the replay pool, unless the team's
    // consensus gives it one.
    if (s.teamSet)
      s.decideImage(s.store().image(imageId), Impl::TrainerOp::Kind::kSubmit, ops);
    else
      ops.push_back({Impl::TrainerOp::Kind::kRetract, {0, imageId, {}, 0}});
  }
  s.tell(ops);
  return outcome;
}

std::optional<std::int64_t> Session::undo() {
  Impl& s = *impl_;
  std::optional<std::int64_t> imageId;
  Impl::TrainerOps ops;
  {
    const std::lock_guard lock(s.storeMutex);
    imageId = s.store().undo(s.annotator);
    if (!imageId) return std::nullopt;
    s.labelsChanged();
    s.store().setPosition(*imageId);
    // An earlier label comes back into the pool without new steps; none: the image leaves it.
    if (s.teamSet) {
      s.decideImage(s.store().image(*imageId), Impl::TrainerOp::Kind::kRestore, ops);
    } else if (const auto restored = s.store().currentLabel(*imageId);
               restored && !restored->skipped) {
      ops.push_back({Impl::TrainerOp::Kind::kRestore, s.example(*restored)});
    } else {
      ops.push_back({Impl::TrainerOp::Kind::kRetract, {0, *imageId, {}, 0}});
    }
  }
  s.tell(ops);
  return imageId;
}

imaging::CtImage Session::loadImage(std::int64_t imageId) {
  fs::path file;
  {
    const std::lock_guard lock(impl_->storeMutex);
    file = impl_->store().resolveImage(imageId);
  }
  return imaging::readImage(file);
}

ShownPrediction Session::predict(std::int64_t imageId, int topK) {
  return predict(imageId, loadImage(imageId), topK);
}

ShownPrediction Session::predict(std::int64_t imageId, const imaging::CtImage& image, int topK) {
  if (topK < 1) throw Error("top-k must be at least 1, not " + std::to_string(topK));
  Impl& s = *impl_;
  const at::Tensor input = s.input(image);
  const learning::PriorityGate::Hold first(s.trainer->gate());
  ShownPrediction shown;
  shown.imageId = imageId;
  {
    const std::lock_guard lock(s.inferenceMutex);
    s.refreshInferenceWeights();
    torch::NoGradGuard noGrad;
    const at::Tensor logits = s.inferenceNet->forward(input);
    shown.prediction.top =
        model::topClasses(logits.to(torch::kCPU, torch::kDouble).softmax(1), s.classNames, topK);
    shown.prediction.untrained = s.applied->labelsSeen == 0;
    shown.randomBase = s.trunkRandom;
    shown.version = s.applied->version;
    shown.model = s.applied->name();
    shown.snapshotSerial = s.applied->serial;
    shown.labelsSeen = s.applied->labelsSeen;
  }
  const std::lock_guard lock(s.predictionsMutex);
  s.lastPredictions[imageId] = shown;
  if (s.lastPredictions.size() > 256) s.lastPredictions.erase(s.lastPredictions.begin());
  return shown;
}

std::vector<Explanation> Session::explain(std::int64_t imageId, const imaging::CtImage& image,
                                          const explain::CamRequest& request) {
  Impl& s = *impl_;
  const at::Tensor input = s.input(image);
  const learning::PriorityGate::Hold first(s.trainer->gate());
  const std::lock_guard lock(s.inferenceMutex);
  s.refreshInferenceWeights();
  return s.explainWith(*s.inferenceNet, s.classNames, imageId, image, input, request,
                       s.applied->name(), s.applied->serial);
}

BeforeAfter Session::compare(std::int64_t imageId, const imaging::CtImage& image,
                             const explain::CamRequest& beforeRequest,
                             const explain::CamRequest& afterRequest, LoadedVersion* after,
                             int topK) {
  if (topK < 1) throw Error("top-k must be at least 1, not " + std::to_string(topK));
  Impl& s = *impl_;
  const at::Tensor input = s.input(image);
  const learning::PriorityGate::Hold first(s.trainer->gate());
  BeforeAfter out;
  {
    const std::lock_guard lock(s.beforeMutex);
    model::Classifier& before = s.beforeModel();
    at::Tensor probabilities;
    std::vector<Explanation> maps =
        s.explainWith(before.network(), before.classNames(), imageId, image, input, beforeRequest,
                      s.beforeName(before.info()), 0, &probabilities);
    if (maps.empty()) throw Error("the model gave no heatmap");
    out.beforeMap = std::move(maps.front());
    ShownPrediction& shown = out.before;
    shown.imageId = imageId;
    shown.prediction.top = model::topClasses(probabilities, before.classNames(), topK);
    shown.prediction.untrained = before.info().untrained;
    shown.randomBase = before.info().untrained;
    shown.model = out.beforeMap.model;
  }
  std::vector<Explanation> maps;
  if (after != nullptr) {
    learning::ModelName name;
    name.kind = learning::ModelName::Kind::kVersion;
    name.version = after->version;
    name.labels = after->labelsSeen;
    maps = s.explainWith(*after->network, after->classNames, imageId, image, input, afterRequest,
                         name, 0);
  } else {
    const std::lock_guard lock(s.inferenceMutex);
    s.refreshInferenceWeights();
    maps = s.explainWith(*s.inferenceNet, s.classNames, imageId, image, input, afterRequest,
                         s.applied->name(), s.applied->serial);
  }
  if (maps.empty()) throw Error("the model gave no heatmap");
  out.afterMap = std::move(maps.front());
  return out;
}

void Session::rollback(int version) {
  Impl& s = *impl_;
  fs::path file;
  {
    const std::lock_guard lock(s.storeMutex);
    for (const auto& v : s.store().modelVersions())
      if (v.version == version) file = s.store().dir() / "models" / v.file;
    if (file.empty()) {
      throw Error("the project has no model version v" + std::to_string(version));
    }
    model::readCheckpointInfo(file);  // damaged: refuse before anything changes
  }
  s.trainer->stop();
  model::CheckpointInfo resumed;
  try {
    resumed = s.trainer->resume(file);
  } catch (...) {
    if (s.options.train) s.trainer->start();
    throw;
  }
  Impl::TrainerOps ops;
  {
    const std::lock_guard lock(s.storeMutex);
    s.store().setCurrentVersion(version);
    s.report.labelsRetrained = s.loadLabels();
    s.resumedOnConsensus = Impl::trainedOnConsensus(resumed);
    // The team's labels back, as when the project opens.
    if (s.teamSet) s.decideAll(s.howAfterLoading(), ops);
  }
  s.tell(ops);
  if (s.options.train) s.trainer->start();
}

learning::TrainerStatus Session::trainerStatus() const {
  return impl_->trainer->status();
}

std::shared_ptr<const learning::Snapshot> Session::snapshot() const {
  return impl_->trainer->latest();
}

bool Session::waitForTraining(std::chrono::milliseconds timeout) {
  return impl_->trainer->waitUntilIdle(timeout);
}

void Session::close() {
  Impl& s = *impl_;
  if (s.closed || !s.project) return;
  s.closed = true;
  if (s.trainer) {
    s.trainer->stop();
    try {
      s.trainer->writeVersionNow();
    } catch (const std::exception&) {
      // Reported by the trainer; the labels are in the store and are trained again on resume.
    }
  }
  if (s.teamSync) {
    // One last send of the labels just given; a server already away is not waited for.
    if (s.teamSync->status().reachable) s.teamSync->flush(std::chrono::seconds(3));
    s.teamSync.reset();
  }
  const std::lock_guard lock(s.storeMutex);
  s.project.reset();
}

}  // namespace camlabel::session
