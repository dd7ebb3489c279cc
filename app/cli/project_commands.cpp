// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/common/progress.h"
#include "core/learning/metrics.h"
#include "core/pacs/pacs_client.h"
#include "core/project/export.h"
#include "core/project/project.h"
#include "core/project/readers.h"
#include "core/session/agreement.h"
#include "core/session/prequential.h"
#include "core/team/consensus.h"
#include "core/team/postgres.h"
#include "core/team/team_server.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

void printImport(const project::ImportReport& report) {
  if (!report.slicesFolder.empty()) {
    std::cout << "a labelled dataset (labels.csv, masks/): only the slices in "
              << report.slicesFolder << "/ are imported, not the lesion masks in masks/\n";
  }
  std::cout << "added " << report.added << ", duplicates " << report.duplicates
            << ", already imported " << report.alreadyImported << ", unreadable "
            << report.failures.size() << '\n';
  if (const std::string skipped = project::describeSkipped(report); !skipped.empty())
    std::cout << "skipped, not slices to label: " << skipped << '\n';
  for (const auto& failure : report.failures)
    std::cerr << "unreadable: " << failure.path << ": " << failure.reason << '\n';
  if (const std::string why = project::whyNothingAdded(report); !why.empty())
    std::cout << why << '\n';
}

nlohmann::json statusJson(project::Project& p) {
  const project::ProjectCounts counts = p.counts();
  const project::ClassScheme& scheme = p.settings().scheme;
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t i = 0; i < scheme.classes.size(); ++i)
    classes.push_back({{"index", i},
                       {"en", scheme.classes[i].en},
                       {"ja", scheme.classes[i].ja},
                       {"count", counts.perClass[i]}});
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : p.modelVersions())
    versions.push_back({{"version", v.version},
                        {"file", v.file},
                        {"sha256", v.sha256},
                        {"labels_seen", v.labelsSeen},
                        {"time", v.time},
                        {"metrics", nlohmann::json::parse(v.metricsJson, nullptr, false)},
                        {"current", v.isCurrent}});
  nlohmann::json position;
  if (const auto at = p.position()) position = p.image(*at).relativePath;
  nlohmann::json next;
  if (const auto id = p.nextUnlabelled()) next = p.image(*id).relativePath;
  const std::vector<std::string> names = scheme.englishNames();
  // The honest learning curve of an online learner: each label against the prediction shown
  // when it was given.
  const learning::PrequentialMetrics prequential =
      learning::prequentialAccuracy(session::prequentialRecords(p), static_cast<int>(names.size()));
  return {{"scheme", scheme.name},
          {"prequential", learning::toJson(prequential, names)},
          {"images", counts.images},
          {"labelled", counts.labelled},
          {"skipped", counts.skipped},
          {"unlabelled", counts.unlabelled},
          {"classes", classes},
          {"model_versions", versions},
          {"position", position},
          {"next_unlabelled", next},
          {"snapshot_every", p.settings().snapshotEvery},
          {"team_server", p.settings().teamServer.empty()
                              ? nlohmann::json()
                              : nlohmann::json(team::pg::describeAddress(p.settings().teamServer))},
          {"team_training", p.settings().teamServer.empty()
                                ? nlohmann::json()
                                : nlohmann::json(p.settings().teamTraining)},
          {"created_by_version", p.settings().createdByVersion}};
}

/// --train-on: what a team project's model learns from.
void addTrainOn(CLI::App* command, std::string& trainOn) {
  command
      ->add_option("--train-on", trainOn,
                   "what the model learns from in a team project: consensus (every reader's "
                   "labels where the readers agree or an adjudicator decided) or own (this "
                   "reader's labels only); the app's Settings change it later")
      ->check(CLI::IsMember({"consensus", "own"}))
      ->default_str("consensus");
}

void printStatus(const nlohmann::json& s) {
  std::cout << "scheme: " << s["scheme"].get<std::string>() << '\n';
  if (!s["team_server"].is_null())
    std::cout << "team server: " << s["team_server"].get<std::string>()
              << " (project sync sends the labels waiting here)\n"
              << "the model learns from: "
              << (s["team_training"] == "own" ? "this reader's labels only"
                                              : "the team's consensus (agreed or adjudicated)")
              << '\n';
  std::cout << "images: " << s["images"] << " (labelled " << s["labelled"] << ", skipped "
            << s["skipped"] << ", unlabelled " << s["unlabelled"] << ")\n";
  for (const auto& c : s["classes"])
    std::cout << "  " << c["index"] << ' ' << c["en"].get<std::string>() << ": " << c["count"]
              << '\n';
  std::cout << "model versions: " << s["model_versions"].size() << '\n';
  for (const auto& v : s["model_versions"])
    std::cout << "  v" << v["version"] << ' ' << v["file"].get<std::string>() << " ("
              << v["labels_seen"] << " labels)" << (v["current"].get<bool>() ? " current" : "")
              << '\n';
  const auto& q = s["prequential"];
  std::cout << "prequential accuracy: last " << q["window_count"] << " labels "
            << (q["window_accuracy"].is_null() ? std::string("-")
                                               : std::to_string(q["window_accuracy"].get<double>()))
            << ", cumulative "
            << (q["cumulative_accuracy"].is_null()
                    ? std::string("-")
                    : std::to_string(q["cumulative_accuracy"].get<double>()))
            << " (" << q["evaluated"] << " labels with a prediction)\n";
  std::cout << "position: " << (s["position"].is_null() ? "-" : s["position"].get<std::string>())
            << '\n'
            << "next unlabelled: "
            << (s["next_unlabelled"].is_null() ? "-" : s["next_unlabelled"].get<std::string>())
            << '\n';
}

/// --pacs and what to take from it, shared by `project new` and `project import`.
struct PacsArgs {
  std::string address;  ///< dicom://AET@HOST:PORT; empty: no PACS
  std::string study;
  std::string patient;
  std::string modality = "CT";
  std::string callingAeTitle = "CAMLABEL";
  std::vector<int> seriesNumbers;  ///< --series; empty: every series of the modality
  bool listSeries = false;         ///< --list-series: say what there is, take nothing
};

void addPacsArgs(CLI::App* command, PacsArgs& args) {
  CLI::Option* pacs = command->add_option(
      "--pacs", args.address,
      "retrieve the slices from a PACS, dicom://CALLED_AET@HOST:PORT (C-FIND, then C-GET), into "
      "the project's image folder under pacs/; the address is not stored");
  CLI::Option* study =
      command->add_option("--study", args.study, "with --pacs: the Study Instance UID to take");
  CLI::Option* patient = command->add_option("--patient", args.patient,
                                             "with --pacs: take every study of this patient ID");
  study->needs(pacs)->excludes(patient);
  patient->needs(pacs);
  command->add_option("--modality", args.modality, "with --pacs: series of this modality only")
      ->capture_default_str()
      ->needs(pacs);
  command
      ->add_option("--calling-aet", args.callingAeTitle,
                   "with --pacs: this workstation's AE title, as the PACS knows it")
      ->capture_default_str()
      ->needs(pacs);
  command
      ->add_option("--series", args.seriesNumbers,
                   "with --pacs: only these series, by series number (2,3; in each study with "
                   "--patient); default: every series of the modality")
      ->delimiter(',')
      ->check(CLI::PositiveNumber)
      ->needs(pacs);
  command
      ->add_flag("--list-series", args.listSeries,
                 "with --pacs: list the series of the study (number, description, images) and "
                 "stop: nothing is retrieved and no project is made or changed")
      ->needs(pacs);
}

pacs::PacsAddress pacsAddress(const PacsArgs& args) {
  if (args.study.empty() && args.patient.empty())
    throw CLI::ValidationError("--pacs", "needs --study UID or --patient ID: which slices to take");
  pacs::PacsAddress address = pacs::parsePacsAddress(args.address);
  address.callingAeTitle = args.callingAeTitle;
  return address;
}

pacs::SeriesQuery pacsQuery(const PacsArgs& args) {
  pacs::SeriesQuery query;
  query.studyInstanceUid = args.study;
  query.patientId = args.patient;
  query.modality = args.modality;
  query.seriesNumbers = args.seriesNumbers;
  return query;
}

/// --list-series: the series the query finds, study by study (studies are counted, not named:
/// their UIDs and dates stay off the terminal's scrollback).
void listPacsSeries(const PacsArgs& args) {
  const std::vector<pacs::SeriesInfo> found =
      pacs::findSeriesOnPacs(pacsAddress(args), pacsQuery(args));
  const std::vector<std::string> studies = pacs::studiesIn(found);
  const std::string kind = args.modality.empty() ? std::string() : args.modality + " ";
  if (found.empty()) std::cout << "no " << kind << "series found\n";
  for (std::size_t k = 0; k < studies.size(); ++k) {
    if (studies.size() > 1) std::cout << "study " << k + 1 << " of " << studies.size() << ":\n";
    for (const pacs::SeriesInfo& s : found)
      if (s.studyInstanceUid == studies[k])
        std::cout << (studies.size() > 1 ? "  " : "") << pacs::describeSeries(s)
                  << (args.modality.empty() ? " (" + s.modality + ")" : std::string()) << '\n';
  }
}

/// Retrieves what args name into `folder` and says what came; a rerun fetches only what is
/// missing.
void retrieveFromPacs(const PacsArgs& args, const fs::path& folder) {
  const pacs::PacsAddress address = pacsAddress(args);
  TerminalProgress progress;
  const pacs::PacsRetrieval retrieval =
      pacs::retrieveFromPacs(address, pacsQuery(args), folder, &progress);
  std::cout << "from the PACS: " << pacs::describeRetrieval(retrieval) << '\n';
}

/// Sends what waits and says where things stand; throws Error (labels stay here) when the
/// server cannot take them.
void syncWithServer(project::Project& p) {
  team::TeamServer server(p.settings().teamServer);
  const std::int64_t sent =
      team::sendWaitingLabels(server, p.database(), p.settings().workstationId).sent;
  std::cout << "sent " << sent << " labels to the team server (" << server.description()
            << "); it holds " << server.labelRows() << " label rows from every reader\n";
}

/// Opens a team project; throws Error for a project of one workstation.
std::unique_ptr<project::Project> openTeamProject(const fs::path& dir) {
  auto p = project::Project::open(dir);
  if (p->settings().teamServer.empty())
    throw Error("'" + dir.string() +
                "' is not a team project: make it one with project join DIR --server ADDRESS.");
  return p;
}

/// Where this folder has a slice of the team (its own path), else where the team's first reader
/// has it.
std::string slicePath(project::Project& p, const team::TeamSlice& slice) {
  auto s = p.database().prepare("SELECT rel_path FROM images WHERE sha256 = ?");
  return s.bind(1, slice.imageSha256).step() ? s.columnText(0) : slice.imagePath;
}

std::string readingsText(const team::TeamSlice& slice, const project::ClassScheme& scheme) {
  std::string out;
  for (const team::Reading& r : slice.readings) {
    if (!out.empty()) out += ", ";
    out +=
        r.reader + " " + std::to_string(r.classIndex) + " " + scheme.className(r.classIndex, "en");
  }
  return out;
}

}  // namespace

void addProjectCommands(CLI::App& app) {
  CLI::App* projectCmd =
      app.add_subcommand("project",
                         "Create, import into, inspect and export a label project, alone or with a "
                         "team on a PostgreSQL server");
  projectCmd->require_subcommand(1);
  {
    struct Args {
      fs::path dir, images, weights;
      std::string scheme = "pattern";
      int snapshotEvery = 10;
      int modelSize = project::ProjectSettings{}.modelSize;
      PacsArgs pacs;
      std::string server;
      std::string trainOn = "consensus";
    };
    auto args = std::make_shared<Args>();
    CLI::App* create = projectCmd->add_subcommand(
        "new", "Create a project and import the image folder, or the slices of a PACS study");
    create->add_option("DIR", args->dir, "project folder to create")->required();
    CLI::Option* images =
        create
            ->add_option("--images", args->images,
                         "folder of slices: DICOM (found by content, with or without a DICOMDIR, "
                         "as on a patient CD), PNG, JPEG, TIFF or BMP")
            ->check(CLI::ExistingDirectory);
    addPacsArgs(create, args->pacs);
    images->excludes(create->get_option("--pacs"));
    create->add_option("--scheme", args->scheme, "pattern | features | FILE.json")
        ->default_str("pattern");
    create->add_option("--weights", args->weights, "base ResNet50 weights (.pth)")
        ->check(CLI::ExistingFile);
    create->add_option("--snapshot-every", args->snapshotEvery, "labels between checkpoints")
        ->check(CLI::PositiveNumber)
        ->default_str("10");
    create->add_option("--model-size", args->modelSize, "pixels per side of the model's input")
        ->capture_default_str()
        ->check(CLI::Range(32, 1024));
    CLI::Option* scheme = create->get_option("--scheme");
    create->add_option("--server", args->server,
                       "a team project: send the labels to this PostgreSQL server "
                       "(postgresql://HOST/DATABASE, or a libpq connection string; the password "
                       "from ~/.pgpass, never in the address). The first reader creates the team "
                       "project there; the others join it and take its class scheme");
    addTrainOn(create, args->trainOn);
    create->get_option("--train-on")->needs(create->get_option("--server"));
    create->callback([args, scheme] {
      if (args->images.empty() && args->pacs.address.empty())
        throw CLI::RequiredError("--images FOLDER or --pacs ADDRESS");
      if (args->pacs.listSeries) {
        listPacsSeries(args->pacs);
        return;
      }
      project::ProjectSettings settings;
      settings.scheme = project::resolveScheme(args->scheme);
      if (!args->server.empty()) {
        // The server first: a folder is not made for a team that cannot be reached, and a
        // reader joining without --scheme takes the team's.
        team::TeamServer server(args->server);
        if (const auto teamScheme = server.scheme(); teamScheme && scheme->count() == 0)
          settings.scheme = *teamScheme;
        server.prepare(settings.scheme);
      }
      settings.imageRoot = args->images;
      if (!args->pacs.address.empty()) {
        // Retrieved before the project exists, so that a rerun after an interruption (which
        // fetches only what is missing) is the same command.
        if (project::isProjectFolder(args->dir))
          throw Error("'" + args->dir.string() + "' already holds a project; use project import");
        settings.imageRoot = args->dir / "images";
        retrieveFromPacs(args->pacs, settings.imageRoot / "pacs");
      }
      settings.baseWeights = args->weights.empty() ? fs::path() : fs::absolute(args->weights);
      settings.snapshotEvery = args->snapshotEvery;
      settings.modelSize = args->modelSize;
      settings.teamTraining = args->trainOn;
      auto p = project::Project::create(args->dir, settings);
      if (!args->server.empty()) {
        p->setTeamServer(args->server);
        std::cout << "team server: " << team::pg::describeAddress(args->server) << " (scheme '"
                  << settings.scheme.name << "')\n";
      }
      TerminalProgress progress;
      printImport(p->importImages(std::nullopt, &progress));
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto folder = std::make_shared<fs::path>();
    auto pacsArgs = std::make_shared<PacsArgs>();
    CLI::App* importCmd = projectCmd->add_subcommand(
        "import",
        "Import new images (default: the project's image folder, recursively), or retrieve "
        "them from a PACS into the image folder's pacs/ and import those");
    importCmd->add_option("DIR", *dir, "project folder")->required();
    CLI::Option* folderOption =
        importCmd->add_option("FOLDER", *folder, "folder inside the image folder")
            ->check(CLI::ExistingDirectory);
    addPacsArgs(importCmd, *pacsArgs);
    folderOption->excludes(importCmd->get_option("--pacs"));
    importCmd->callback([dir, folder, pacsArgs] {
      if (pacsArgs->listSeries) {
        listPacsSeries(*pacsArgs);
        return;
      }
      auto p = project::Project::open(*dir);
      std::optional<fs::path> from;
      if (!folder->empty()) from = *folder;
      if (!pacsArgs->address.empty()) {
        from = p->settings().imageRoot / "pacs";
        retrieveFromPacs(*pacsArgs, *from);
      }
      TerminalProgress progress;
      printImport(p->importImages(from, &progress));
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto server = std::make_shared<std::string>();
    CLI::App* join = projectCmd->add_subcommand(
        "join",
        "Make a project a team project of a PostgreSQL server and send its labels there (also "
        "how a one-reader project moves to a server): its labels keep their reader and time");
    join->add_option("DIR", *dir, "project folder")->required();
    join->add_option("--server", *server, "postgresql://HOST/DATABASE or a connection string")
        ->required();
    auto trainOn = std::make_shared<std::string>();
    addTrainOn(join, *trainOn);
    join->callback([dir, server, trainOn] {
      auto p = project::Project::open(*dir);
      team::joinTeamServer(*p, *server);
      if (!trainOn->empty()) p->setTeamTraining(*trainOn);
      syncWithServer(*p);
    });
  }
  {
    struct Args {
      fs::path dir;
      std::optional<int> readings;
      bool open = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* assign = projectCmd->add_subcommand(
        "assign",
        "A team project's double reading: each slice is offered to readers until K of them have "
        "labelled it, and a reader sees nothing of the others' labels of a slice (in the model "
        "they train or the adjudication queue) before giving their own. Without --readings, "
        "prints the team's current setting. Setting it the first time needs the database "
        "owner's login");
    assign->add_option("DIR", args->dir, "project folder")->required();
    assign
        ->add_option("--readings", args->readings,
                     "readings per slice, K (0: no double reading, every reader may label "
                     "every slice)")
        ->check(CLI::Range(0, 100));
    assign->add_flag("--open", args->open,
                     "readers are not blinded: the model each reader trains learns the others' "
                     "labels at once, and the adjudication queue shows every disagreement");
    assign->callback([args] {
      auto p = openTeamProject(args->dir);
      team::TeamServer server(p->settings().teamServer);
      if (args->readings) {
        server.setAssignment({*args->readings, !args->open}, project::defaultReaderName());
      } else if (args->open) {
        throw Error("--open goes with --readings K.");
      }
      const team::Assignment a = server.assignment();
      if (a.readingsPerSlice == 0)
        std::cout << "double reading: none (every reader may label every slice)\n";
      else
        std::cout << "double reading: " << a.readingsPerSlice << " readings per slice, "
                  << (a.blinded ? "blinded" : "open") << '\n';
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto json = std::make_shared<bool>(false);
    auto viewer = std::make_shared<std::string>();
    CLI::App* disagreements = projectCmd->add_subcommand(
        "disagreements",
        "A team project's adjudication queue: the slices on which its readers gave different "
        "classes and nobody has adjudicated yet, with each reader's class (with blinded double "
        "reading, not those the reader still owes a reading)");
    disagreements->add_option("DIR", *dir, "project folder")->required();
    disagreements->add_flag("--json", *json, "print JSON");
    disagreements->add_option("--annotator", *viewer, "the reader who looks ($USER)");
    disagreements->callback([dir, json, viewer] {
      auto p = openTeamProject(*dir);
      const project::ClassScheme& scheme = p->settings().scheme;
      const team::AdjudicationQueue found =
          team::adjudicationQueue(team::readTeamView(p->settings().teamServer),
                                  viewer->empty() ? project::defaultReaderName() : *viewer);
      nlohmann::json queue = nlohmann::json::array();
      std::string lines;  // the same queue for the terminal
      for (const team::TeamSlice& slice : found.slices) {
        const std::string path = displayName(slicePath(*p, slice));
        nlohmann::json readings = nlohmann::json::array();
        for (const team::Reading& r : slice.readings)
          readings.push_back({{"reader", r.reader},
                              {"class", r.classIndex},
                              {"name", scheme.className(r.classIndex, "en")}});
        queue.push_back({{"slice", path}, {"sha256", slice.imageSha256}, {"readings", readings}});
        lines += "  " + path + ": " + readingsText(slice, scheme) + '\n';
      }
      if (*json) {
        std::cout << nlohmann::json{{"awaiting_adjudication", queue},
                                    {"adjudicated", found.adjudicated},
                                    {"agreed", found.agreed},
                                    {"blinded", found.blinded}}
                         .dump(2)
                  << '\n';
        return;
      }
      std::cout << "readers disagree, not adjudicated yet: " << queue.size() << " slices\n"
                << lines;
      if (found.blinded > 0)
        std::cout << "left out until you have given your reading (blinded double reading): "
                  << found.blinded << " slices\n";
      std::cout << "adjudicated: " << found.adjudicated
                << " slices; all readers agree: " << found.agreed << " slices\n";
      if (!queue.empty())
        std::cout << "adjudicate with: camlabel-cli project adjudicate " << dir->string()
                  << " SLICE CLASS\n";
    });
  }
  {
    struct Args {
      fs::path dir;
      std::string slice;
      int classIndex = 0;
      std::string adjudicator;
    };
    auto args = std::make_shared<Args>();
    CLI::App* adjudicate = projectCmd->add_subcommand(
        "adjudicate",
        "Record an adjudicator's class for a slice the team's readers labelled (usually one they "
        "disagree on): it becomes the slice's consensus. Needs the team server");
    adjudicate->add_option("DIR", args->dir, "project folder")->required();
    adjudicate->add_option("SLICE", args->slice, "the slice, by its path in the image folder")
        ->required();
    adjudicate->add_option("CLASS", args->classIndex, "the class index, as its key")->required();
    adjudicate->add_option("--annotator", args->adjudicator,
                           "the adjudicator's name recorded with it ($USER)");
    adjudicate->callback([args] {
      auto p = openTeamProject(args->dir);
      const project::ClassScheme& scheme = p->settings().scheme;
      scheme.checkClass(args->classIndex);
      const auto image = project::findImageByName(*p, args->slice);
      if (!image)
        throw Error("'" + args->slice + "' is not a slice of the project '" + args->dir.string() +
                    "' (give its path in the image folder, as project disagreements shows it).");
      const auto slices = team::readTeamSlices(p->settings().teamServer);
      const auto slice = std::find_if(slices.begin(), slices.end(), [&](const team::TeamSlice& t) {
        return t.imageSha256 == image->sha256;
      });
      if (slice == slices.end())
        throw Error("no reader of the team has labelled '" + args->slice +
                    "' yet: there is nothing to adjudicate.");
      const team::Adjudication decision = team::adjudicateSlice(
          p->settings().teamServer, p->settings().workstationId, *slice, args->classIndex,
          args->adjudicator.empty() ? project::defaultReaderName() : args->adjudicator);
      std::cout << displayName(image->relativePath) << ": consensus " << args->classIndex << ' '
                << scheme.className(args->classIndex, "en") << ", adjudicated by "
                << decision.adjudicator << " (readers: " << readingsText(*slice, scheme) << ")\n";
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    CLI::App* sync = projectCmd->add_subcommand(
        "sync",
        "Send a team project's labels that wait on this computer to its server (the app does it "
        "on its own while it runs); each label reaches the server once, however often this runs");
    sync->add_option("DIR", *dir, "project folder")->required();
    sync->callback([dir] {
      auto p = openTeamProject(*dir);
      syncWithServer(*p);
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto json = std::make_shared<bool>(false);
    CLI::App* status = projectCmd->add_subcommand(
        "status", "Counts per class, labelled/unlabelled/skipped, model versions, position");
    status->add_option("DIR", *dir, "project folder")->required();
    status->add_flag("--json", *json, "print JSON");
    status->callback([dir, json] {
      auto p = project::Project::open(*dir);
      const nlohmann::json s = statusJson(*p);
      if (*json)
        std::cout << s.dump(2) << '\n';
      else
        printStatus(s);
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto labels = std::make_shared<fs::path>();
    auto language = std::make_shared<std::string>("en");
    CLI::App* exportCmd = projectCmd->add_subcommand(
        "export", "Write the current label of every decided image as CSV or JSON");
    exportCmd->add_option("DIR", *dir, "project folder")->required();
    exportCmd->add_option("--labels", *labels, "FILE.csv or FILE.json")->required();
    exportCmd->add_option("--language", *language, "class names in en or ja")
        ->check(CLI::IsMember({"en", "ja"}))
        ->default_str("en");
    exportCmd->callback([dir, labels, language] {
      auto p = project::Project::open(*dir);
      const std::size_t rows = project::exportLabels(*p, *labels, *language);
      std::cout << "exported " << rows << " labels to " << labels->string() << '\n';
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto json = std::make_shared<bool>(false);
    auto csvOut = std::make_shared<fs::path>();
    CLI::App* agreement = projectCmd->add_subcommand(
        "agreement",
        "How far the readers' labels agree beyond chance: Cohen's kappa of each pair of readers "
        "(over the slices both labelled), Fleiss' kappa of all (over the slices all labelled), "
        "per class and overall, with 95% bootstrap intervals and the confusion matrix between "
        "readers. A reader is the name recorded with each label (--annotator, or the login "
        "name); each reader's latest label of a slice counts, skips do not. In a team project, "
        "every reader's labels on the team server");
    agreement->add_option("DIR", *dir, "project folder")->required();
    agreement->add_flag("--json", *json, "print JSON");
    agreement->add_option("--csv", *csvOut, "also write the figures to FILE.csv");
    agreement->callback([dir, json, csvOut] {
      auto p = project::Project::open(*dir);
      const session::ProjectAgreement a = session::measureProjectAgreement(*p);
      if (!csvOut->empty()) learning::writeAgreementCsv(a.report, a.classNames, *csvOut);
      if (*json) {
        nlohmann::json out = learning::toJson(a.report, a.classNames);
        out["skips_left_out"] = a.skips;
        std::cout << out.dump(2) << '\n';
      } else {
        std::cout << learning::toText(a.report, a.classNames);
        if (a.skips > 0) std::cout << "skipped slices, left out: " << a.skips << '\n';
        if (!csvOut->empty()) std::cout << "wrote " << csvOut->string() << '\n';
      }
    });
  }
}

}  // namespace camlabel::cli
