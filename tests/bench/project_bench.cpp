// SPDX-License-Identifier: Apache-2.0
// The project store at scale (issue 4): generates N tiny 16-bit PNG slices, imports them and
// times what a labelling session does. Usage:
//   camlabel_project_bench [--count N] [--side S] [--dir DIR] [--runs R] [--label-writes W]
//                          [--keep] [--dicom]
// --dicom writes the slices as a CD does (DICOM/ST0/SE<k>/IM<n>, no extension, one series of
// 1000 per folder), so that listing finds them by content; a plain walk of the same folders,
// names only, is timed beside it as the reference.
// --side (default 32) sets the slices' size: 32 measures per-file overhead, 512 (a real CT
// slice, about 0.5 MB as a noisy 16-bit PNG) shows where hashing dominates.
// DIR (default: a new folder under the system temp dir) gets images/ and proj/; both are
// removed at the end unless --keep. Prints the machine, then one line per measurement.
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "bench_support.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/imaging/dicom_writer.h"
#include "core/imaging/image_folder.h"
#include "core/project/project.h"

namespace {

namespace fs = std::filesystem;
using camlabel::bench::Clock;
using camlabel::bench::cpuModel;
using camlabel::bench::msSince;
using camlabel::project::Project;

struct Stats {
  double median = 0, p95 = 0, p99 = 0, max = 0;
};

Stats statsOf(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&ms](double q) { return camlabel::bench::atRank(ms, q); };
  return {at(0.5), at(0.95), at(0.99), ms.back()};
}

Stats timeRuns(int runs, const std::function<void(int)>& op) {
  op(0);  // warm-up: the first call prepares statements and pulls pages into the cache
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    op(i);
    ms.push_back(msSince(start));
  }
  return statsOf(std::move(ms));
}

void printStats(const std::string& what, const Stats& s) {
  std::printf("%-44s median %8.3f ms  p95 %8.3f  p99 %8.3f  max %8.3f\n", what.c_str(), s.median,
              s.p95, s.p99, s.max);
}

double peakRssMb() {
  return camlabel::bench::statusMb("VmHWM:");
}

/// The filesystem holding path: type and device from the longest matching mount point.
std::string filesystemOf(const fs::path& path) {
  const std::string target = fs::canonical(path).string();
  std::ifstream in("/proc/mounts");
  std::string device, mount, type, rest, best = "unknown", bestMount;
  while (in >> device >> mount >> type && std::getline(in, rest)) {
    const bool inside =
        target.rfind(mount, 0) == 0 &&
        (mount == "/" || target.size() == mount.size() || target[mount.size()] == '/');
    if (inside && mount.size() >= bestMount.size()) {
      bestMount = mount;
      best = type + " on " + device + " (mounted at " + mount + ")";
    }
  }
  return best;
}

/// A side x side 16-bit slice in camlabel's HU + 1024 convention, unique to index.
cv::Mat sliceFor(int index, int side, std::mt19937& rng) {
  cv::Mat image(side, side, CV_16U);
  std::uniform_int_distribution<int> noise(0, 40);
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const int dx = x - side / 2, dy = y - side / 2;
      const int body = 5 * (dx * dx + dy * dy) < side * side ? 1024 + 40 : 24;  // tissue in air
      image.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(body + noise(rng));
    }
  image.at<std::uint16_t>(0, 0) = static_cast<std::uint16_t>(index & 0xFFFF);
  image.at<std::uint16_t>(0, 1) = static_cast<std::uint16_t>(index >> 16);
  return image;
}

struct Options {
  int count = 100000;
  int side = 32;
  fs::path dir;
  int runs = 200;
  int labelWrites = 1000;
  bool keep = false;
  bool dicom = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw camlabel::Error(arg + " needs a value.");
      return argv[++i];
    };
    if (arg == "--count")
      o.count = std::stoi(value());
    else if (arg == "--side")
      o.side = std::stoi(value());
    else if (arg == "--dir")
      o.dir = value();
    else if (arg == "--runs")
      o.runs = std::stoi(value());
    else if (arg == "--label-writes")
      o.labelWrites = std::stoi(value());
    else if (arg == "--keep")
      o.keep = true;
    else if (arg == "--dicom")
      o.dicom = true;
    else
      throw camlabel::Error("unknown option " + arg +
                            "; use --count N --side S --dir DIR --runs R --label-writes W --keep "
                            "--dicom.");
  }
  if (o.count < 100) throw camlabel::Error("--count must be at least 100.");
  if (o.side < 8 || o.side > 4096) throw camlabel::Error("--side must be 8 to 4096.");
  return o;
}

/// Marks the first `upTo` images of the natural order decided, in that order, as a clinician
/// working through the list would: mostly labels, every 20th a skip, every 50th relabelled.
/// Written in one transaction through SQL: filling is setup, not what is measured.
void fillTo(Project& project, std::int64_t from, std::int64_t upTo) {
  auto& db = project.database();
  db.exec("BEGIN IMMEDIATE");
  auto ids = db.prepare("SELECT id FROM images ORDER BY sort_key, rel_path LIMIT ? OFFSET ?");
  ids.bind(1, upTo - from).bind(2, from);
  auto insert = db.prepare(
      "INSERT INTO labels(image_id, action, class_index, annotator, time, model_version, "
      "predicted_class, probability) VALUES(?, ?, ?, 'bench', ?, 1, 0, 0.5)");
  const std::string now = camlabel::project::isoTimeNow();
  for (std::int64_t n = from; ids.step(); ++n) {
    const std::int64_t id = ids.columnInt(0);
    insert.reset();
    if (n % 20 == 19)
      insert.bind(1, id).bind(2, "skip").bindNull(3).bind(4, now).run();
    else
      insert.bind(1, id).bind(2, "label").bind(3, static_cast<int>(n % 10)).bind(4, now).run();
    if (n % 50 == 49) {
      insert.reset();
      insert.bind(1, id)
          .bind(2, "label")
          .bind(3, static_cast<int>((n + 3) % 10))
          .bind(4, now)
          .run();
    }
  }
  db.exec("COMMIT");
}

int run(const Options& o) {
  const bool ownDir = o.dir.empty();
  const fs::path dir =
      ownDir ? fs::temp_directory_path() / ("camlabel-bench-" + std::to_string(getpid())) : o.dir;
  const fs::path images = dir / "images";
  const fs::path projectDir = dir / "proj";
  if (fs::exists(projectDir))
    throw camlabel::Error("'" + projectDir.string() + "' exists; give an empty --dir.");
  fs::create_directories(images);

  std::printf("machine: %s, %u cores\n", cpuModel().c_str(), std::thread::hardware_concurrency());
  std::printf("filesystem: %s\n", filesystemOf(dir).c_str());
  std::printf("images: %d %s, %dx%d 16-bit, 1000 per folder\n", o.count,
              o.dicom ? "CT DICOM without extension" : "PNG", o.side, o.side);

  // Generation is not timed.
  {
    std::mt19937 rng(4);
    const auto start = Clock::now();
    camlabel::imaging::DicomSlicePlace place;
    for (int i = 0; i < o.count; ++i) {
      if (o.dicom) {
        if (i % 1000 == 0) place = camlabel::imaging::newDicomSeries(i / 1000 + 1);
        place.instanceNumber = i % 1000 + 1;
        place.zMm = -1.0 * (i % 1000);
        cv::Mat hu;
        sliceFor(i, o.side, rng).convertTo(hu, CV_32F, 1.0, -1024.0);
        const fs::path folder = images / "DICOM" / "ST0" / ("SE" + std::to_string(i / 1000));
        if (i % 1000 == 0) fs::create_directories(folder);
        camlabel::imaging::writeCtDicom(folder / ("IM" + std::to_string(i % 1000 + 1)), hu, 0.7,
                                        std::nullopt, place);
        continue;
      }
      const fs::path folder = images / ("case" + std::to_string(i / 1000));
      if (i % 1000 == 0) fs::create_directories(folder);
      std::vector<std::uint8_t> png;
      cv::imencode(".png", sliceFor(i, o.side, rng), png);
      std::ofstream(folder / ("slice" + std::to_string(i % 1000) + ".png"), std::ios::binary)
          .write(reinterpret_cast<const char*>(png.data()),
                 static_cast<std::streamsize>(png.size()));
    }
    std::printf("generated in %.1f s (not part of any timing)\n", msSince(start) / 1000.0);
  }

  // Hashing alone, over the same files in the same (warm) page cache: the bound for import.
  std::int64_t bytes = 0;
  double hashMs = 0, listMs = 0;
  {
    auto start = Clock::now();
    const std::vector<fs::path> files = camlabel::imaging::listImageFiles(images, true);
    listMs = msSince(start);
    start = Clock::now();
    for (const fs::path& file : files) {
      camlabel::sha256File(file);
      bytes += static_cast<std::int64_t>(fs::file_size(file));
    }
    hashMs = msSince(start);
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("listing %d files (recursive, natural sort%s): %.0f ms = %.0f files/s\n", o.count,
              o.dicom ? ", DICOM by content" : "", listMs, o.count / (listMs / 1000));
  {
    // The reference: the same folders walked, names only.
    const auto start = Clock::now();
    std::size_t names = 0;
    for (const auto& entry : fs::recursive_directory_iterator(images))
      names += entry.is_regular_file() ? 1 : 0;
    const double walkMs = msSince(start);
    std::printf("plain walk of the same folders (names only, %zu files): %.0f ms; listing %.2fx\n",
                names, walkMs, listMs / walkMs);
  }
  std::printf("sha256File alone: %.1f MB in %.2f s = %.1f MB/s, %.0f files/s\n", mb, hashMs / 1000,
              mb / (hashMs / 1000), o.count / (hashMs / 1000));

  camlabel::project::ProjectSettings settings;
  settings.imageRoot = images;
  {
    auto project = Project::create(projectDir, settings);
    const auto start = Clock::now();
    const auto report = project->importImages();
    const double importMs = msSince(start);
    if (report.added != o.count || !report.failures.empty())
      throw camlabel::Error("import added " + std::to_string(report.added) + " of " +
                            std::to_string(o.count) + " with " +
                            std::to_string(report.failures.size()) + " failures.");
    std::printf(
        "import: %.2f s = %.1f MB/s, %.0f files/s; %.2fx the time of hashing alone "
        "(listing included)\n",
        importMs / 1000, mb / (importMs / 1000), o.count / (importMs / 1000), importMs / hashMs);
    const auto again = Clock::now();
    const auto second = project->importImages();
    std::printf("re-import finding nothing new: %.2f s (%d already imported)\n",
                msSince(again) / 1000, second.alreadyImported);
  }
  std::printf("database: %.1f MB\n",
              static_cast<double>(fs::file_size(projectDir / "project.sqlite")) / 1e6);

  printStats("Project::open",
             timeRuns(std::max(5, o.runs / 20), [&](int) { Project::open(projectDir); }));

  auto project = Project::open(projectDir);
  const std::int64_t n = project->imageCount();
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::int64_t> anyIndex(0, n - 1);
  std::vector<std::int64_t> someIds;
  for (int i = 0; i < o.runs + 1; ++i)
    someIds.push_back(project->imageAt(anyIndex(rng))->id);

  std::int64_t filled = 0;
  for (const int percent : {0, 50, 99}) {
    const std::int64_t target = n * percent / 100;
    fillTo(*project, filled, target);
    filled = target;
    const std::string at = " at " + std::to_string(percent) + "% decided";
    if (target > 0) {
      const std::int64_t last = project->imageAt(target - 1)->id;
      printStats("nextUnlabelled(after current)" + at,
                 timeRuns(o.runs, [&](int) { project->nextUnlabelled(last); }));
    }
    printStats("nextUnlabelled() from the start" + at,
               timeRuns(o.runs, [&](int) { project->nextUnlabelled(); }));
    printStats("counts()" + at,
               timeRuns(std::max(5, o.runs / 10), [&](int) { project->counts(); }));
    if (percent == 50) {
      printStats("indexOf(random image)", timeRuns(o.runs, [&](int i) {
                   project->indexOf(someIds[static_cast<std::size_t>(i)]);
                 }));
      printStats("imageAt(random index)",
                 timeRuns(o.runs, [&](int) { project->imageAt(anyIndex(rng)); }));
      printStats("findImage(random path)", timeRuns(o.runs, [&](int i) {
                   // Image j lives at case<j / 1000>/slice<j % 1000>.png, as generated above.
                   const std::int64_t j = static_cast<std::int64_t>(i) * 997 % n;
                   project->findImage("case" + std::to_string(j / 1000) + "/slice" +
                                      std::to_string(j % 1000) + ".png");
                 }));
      printStats("currentLabel(random image)", timeRuns(o.runs, [&](int i) {
                   project->currentLabel(someIds[static_cast<std::size_t>(i)]);
                 }));
    }
  }

  // Durable writes: each label is its own fsynced commit (WAL, synchronous=FULL).
  {
    std::int64_t id = *project->nextUnlabelled();
    std::vector<double> ms;
    for (int i = 0; i < o.labelWrites; ++i) {
      const auto start = Clock::now();
      project->label(id, i % 10, "bench", {1, (i + 1) % 10, 0.5});
      ms.push_back(msSince(start));
      if (const auto next = project->nextUnlabelled(id)) id = *next;
    }
    printStats("label() until durable (" + std::to_string(o.labelWrites) + " writes)",
               statsOf(std::move(ms)));
    printStats("undo()", timeRuns(std::max(5, o.runs / 10), [&](int) { project->undo("bench"); }));
  }
  std::printf("database after labelling: %.1f MB (+ WAL %.1f MB)\n",
              static_cast<double>(fs::file_size(projectDir / "project.sqlite")) / 1e6,
              fs::exists(projectDir / "project.sqlite-wal")
                  ? static_cast<double>(fs::file_size(projectDir / "project.sqlite-wal")) / 1e6
                  : 0.0);
  project.reset();
  std::printf("peak RSS (VmHWM): %.1f MB\n", peakRssMb());

  if (!o.keep) {
    fs::remove_all(images);
    fs::remove_all(projectDir);
    if (ownDir) fs::remove(dir);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each result as soon as it is measured
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "camlabel_project_bench: %s\n", e.what());
    return 1;
  }
}
