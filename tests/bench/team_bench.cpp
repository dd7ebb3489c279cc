// SPDX-License-Identifier: Apache-2.0
// A team project's labels on a PostgreSQL server (issue 15): how long a label takes to be kept
// on this computer (what the reader waits for) and to be durable on the server (what the team
// waits for), the server near and 50 ms away, beside the same label inserted straight into the
// server (the floor the sender cannot beat). Usage:
//   camlabel_team_bench [--labels N] [--delay-ms D]
// Starts its own PostgreSQL (Debian's binaries, fsync on, a Unix socket) and, with --delay-ms,
// a proxy in front of it that holds each chunk D ms in each direction (a round trip of 2 D).
// Prints the machine, then one line per measurement: median and p99 in ms.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "bench_support.h"
#include "core/imaging/image_writer.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/team/label_sync.h"
#include "core/team/team_server.h"
#include "delay_proxy.h"
#include "postgres_server.h"

namespace {

namespace fs = std::filesystem;
using camlabel::bench::Clock;
using camlabel::bench::msSince;

struct Stats {
  double median = 0, p99 = 0;
};

Stats statsOf(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&ms](double q) { return camlabel::bench::atRank(ms, q); };
  return {at(0.5), at(0.99)};
}

void print(const std::string& what, const Stats& s) {
  std::printf("%-64s median %8.2f ms   p99 %8.2f ms\n", what.c_str(), s.median, s.p99);
}

int run(int labels, int delayMs) {
  std::printf("machine: %s, %u cores\n", camlabel::bench::cpuModel().c_str(),
              std::thread::hardware_concurrency());
  std::string where = "PostgreSQL with fsync on, Unix socket";
  if (delayMs > 0) {
    where += ", behind a proxy holding each chunk ";
    where += std::to_string(delayMs);
    where += " ms each way";
  }
  std::printf("labels per measurement: %d; %s\n", labels, where.c_str());
  camlabel::test::PostgresServer pg(/*fsync=*/true);
  std::string address = pg.createDatabase("team");
  std::unique_ptr<camlabel::bench::DelayProxy> proxy;
  if (delayMs > 0) {
    // libpq finds PORT's socket as FOLDER/.s.PGSQL.PORT: the proxy answers on port 5433.
    proxy = std::make_unique<camlabel::bench::DelayProxy>(
        pg.socketFolder() / ".s.PGSQL.5432", pg.socketFolder() / ".s.PGSQL.5433", delayMs);
    address = "host=" + pg.socketFolder().string() + " port=5433 dbname=team user=camlabel";
  }

  const fs::path work =
      fs::temp_directory_path() / ("camlabel-team-bench-" + std::to_string(::getpid()));
  fs::create_directories(work / "images");
  for (int i = 0; i < 50; ++i) {
    cv::Mat image(16, 16, CV_8UC1, cv::Scalar(i));
    std::string name = "s";
    name += std::to_string(i);
    name += ".png";
    camlabel::imaging::writeImageFile(work / "images" / name, image);
  }
  camlabel::project::ProjectSettings settings;
  settings.imageRoot = work / "images";
  auto project = camlabel::project::Project::create(work / "project", settings);
  project->importImages();
  camlabel::team::joinTeamServer(*project, address);
  const std::string id = project->settings().workstationId;

  // 1. A label kept on this computer (SQLite, synchronous=FULL): what the reader waits for. The
  // sender runs meanwhile, as in the app.
  {
    camlabel::team::LabelSync sync(project->dir(), address, id);
    std::vector<double> ms;
    for (int k = 0; k < labels; ++k) {
      const auto start = Clock::now();
      project->label(1 + k % 50, k % 10, "dr.bench");
      ms.push_back(msSince(start));
      sync.notify();
    }
    print("label kept on this computer (what the reader waits for)", statsOf(ms));
    sync.flush(std::chrono::seconds(60));
  }
  // 2. The same label until durable on the server, through the sender (the outbox).
  {
    camlabel::team::LabelSync sync(project->dir(), address, id);
    sync.flush(std::chrono::seconds(60));
    std::vector<double> ms;
    for (int k = 0; k < labels; ++k) {
      const auto start = Clock::now();
      project->label(1 + k % 50, k % 10, "dr.bench");
      if (!sync.flush(std::chrono::seconds(60)))
        throw std::runtime_error("the sender did not reach the server: " + sync.status().error);
      ms.push_back(msSince(start));
    }
    print("label -> durable on the server, through the sender", statsOf(ms));
  }
  // 3. The reference: one label row inserted (autocommit) straight into the server on an open
  // connection (what any client pays), no local store.
  {
    camlabel::team::TeamServer server(address);
    std::int64_t next = 1'000'000;
    auto row = camlabel::project::readLabelLog(project->database(), 0, 1).at(0);
    std::vector<double> ms;
    for (int k = 0; k < labels; ++k) {
      row.id = next++;
      const auto start = Clock::now();
      server.send("reference", {row});
      ms.push_back(msSince(start));
    }
    print("reference: one label row inserted straight (libpq, autocommit)", statsOf(ms));
  }
  camlabel::team::TeamServer server(address);
  std::printf("rows on the server: %lld\n", static_cast<long long>(server.labelRows()));
  project.reset();
  fs::remove_all(work);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int labels = 200;
  int delayMs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--labels" && i + 1 < argc) {
      labels = std::stoi(argv[++i]);
    } else if (arg == "--delay-ms" && i + 1 < argc) {
      delayMs = std::stoi(argv[++i]);
    } else {
      std::cerr << "usage: camlabel_team_bench [--labels N] [--delay-ms D]\n";
      return 2;
    }
  }
  try {
    return run(labels, delayMs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "camlabel_team_bench: %s\n", e.what());
    return 1;
  }
}
