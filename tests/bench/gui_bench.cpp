// SPDX-License-Identifier: Apache-2.0
// Is the GUI thread ever blocked? A heartbeat timer on the GUI thread of the real labelling
// window records the gaps between its ticks while the user labels images with the heatmap on
// and the model trains (issue 6: never more than 50 ms). Closing is timed separately: it writes
// the last model version.
//
//   camlabel_gui_bench [--network resnet50|tiny] [--labels N] [--pace MS]
//                      [--order file|random|uncertain] [--team-delay-ms D]
//
// With --team-delay-ms, the project is a team project (issue 15) on a PostgreSQL server of its own
// (Debian's binaries, fsync on) behind a proxy that holds each chunk D ms each way: the labels go
// to the server, and the team's labels are read back, while the heartbeat runs.
//
// Prints the machine, the heartbeat's gaps (median, p99, max, how many over 50 ms) and the close;
// with another order than file, how many labels were followed by the chosen slice and how many
// by file order because the choice was not ready yet.

#include <sys/resource.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/allocator.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/project/sqlite.h"
#include "core/session/demo.h"
#include "core/team/team_server.h"
#include "delay_proxy.h"
#include "postgres_server.h"
#include "ui/label_window.h"

namespace {

/// bench::atRank of the values (0 when there are none): the ranks every benchmark uses.
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return camlabel::bench::atRank(v, p);
}

}  // namespace

int main(int argc, char** argv) {
  camlabel::keepFreedMemoryForReuse();  // before any thread starts
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  std::string network = "resnet50";
  int labels = 20;
  int pace = 1500;  // ms between labels: a quick clinician
  camlabel::learning::LabellingOrder order = camlabel::learning::LabellingOrder::kFile;
  int teamDelayMs = -1;  // no team server
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--network") {
      network = argv[i + 1];
    } else if (flag == "--labels") {
      labels = std::atoi(argv[i + 1]);
    } else if (flag == "--pace") {
      pace = std::atoi(argv[i + 1]);
    } else if (flag == "--team-delay-ms") {
      teamDelayMs = std::max(0, std::atoi(argv[i + 1]));
    } else if (flag == "--order") {
      const auto parsed = camlabel::learning::parseLabellingOrder(argv[i + 1]);
      if (!parsed) {
        std::fprintf(stderr, "camlabel_gui_bench: unknown order %s\n", argv[i + 1]);
        return 2;
      }
      order = *parsed;
    } else {
      std::fprintf(stderr, "camlabel_gui_bench: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  QApplication app(argc, argv);
  QTemporaryDir dir;
  camlabel::session::DemoOptions demo;
  demo.perClass = std::max(2, labels / 10 + 2);
  demo.size = 256;
  demo.project.snapshotEvery = 10;
  const auto report =
      camlabel::session::createDemoProject(dir.path().toStdString() + "/demo", demo);

  // A team server, far away when asked: it outlives the window.
  std::unique_ptr<camlabel::test::PostgresServer> pg;
  std::unique_ptr<camlabel::bench::DelayProxy> proxy;
  std::string address;
  if (teamDelayMs >= 0) {
    pg = std::make_unique<camlabel::test::PostgresServer>(/*fsync=*/true);
    address = pg->createDatabase("team");
    if (teamDelayMs > 0) {
      // libpq finds PORT's socket as FOLDER/.s.PGSQL.PORT: the proxy answers on port 5433.
      proxy = std::make_unique<camlabel::bench::DelayProxy>(
          pg->socketFolder() / ".s.PGSQL.5432", pg->socketFolder() / ".s.PGSQL.5433", teamDelayMs);
      address = "host=" + pg->socketFolder().string() + " port=5433 dbname=team user=camlabel";
    }
    camlabel::team::joinTeamServer(*camlabel::project::Project::open(report.projectDir), address);
  }

  camlabel::session::SessionOptions options;
  options.config = *camlabel::model::namedNetwork(network);
  camlabel::ui::LabelWindow window(report.projectDir, options);
  QSignalSpy predicted(&window, &camlabel::ui::LabelWindow::predictionShown);
  window.show();
  if (!predicted.wait(300000)) {
    std::fprintf(stderr, "no prediction: %s\n", qPrintable(window.statusText()));
    return 1;
  }
  QTest::keyClick(&window, Qt::Key_C);  // the heatmap follows every image
  window.setLabellingOrder(order);

  // The heartbeat: a 5 ms timer on the GUI thread; a gap is the time between two ticks.
  std::vector<double> gaps;
  QElapsedTimer clock;
  clock.start();
  qint64 last = clock.nsecsElapsed();
  QTimer heartbeat;
  heartbeat.setInterval(5);
  // Where each long gap fell: after which key press, and how long after it began.
  // What the GUI thread did meanwhile: its CPU time (working) and its context switches,
  // voluntary (waiting: a lock, the disk) and involuntary (preempted: the cores were busy).
  struct LongGap {
    double ms;
    int label;          ///< the key presses before it (0: before the first)
    double afterPress;  ///< from that press's start to the gap's start, ms
    double cpuMs;
    long waits;
    long preempted;
  };
  struct ThreadUse {
    double cpuMs = 0;
    long waits = 0;
    long preempted = 0;
  };
  const auto threadUse = [] {
    rusage r{};
    getrusage(RUSAGE_THREAD, &r);
    return ThreadUse{static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e3 +
                         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e3,
                     r.ru_nvcsw, r.ru_nivcsw};
  };
  std::vector<LongGap> longGaps;
  int pressed = 0;
  qint64 pressStart = -1;
  ThreadUse lastUse = threadUse();
  QObject::connect(&heartbeat, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    const ThreadUse use = threadUse();
    const double gap = static_cast<double>(now - last) / 1e6;
    gaps.push_back(gap);
    if (gap > 50)
      longGaps.push_back({gap, pressed,
                          pressStart < 0 ? -1.0 : static_cast<double>(last - pressStart) / 1e6,
                          use.cpuMs - lastUse.cpuMs, use.waits - lastUse.waits,
                          use.preempted - lastUse.preempted});
    last = now;
    lastUse = use;
  });
  heartbeat.start();

  // How long after a label the choice of the slice after the next one arrives.
  std::vector<double> chooseMs;
  qint64 labelledAt = -1;
  QObject::connect(&window, &camlabel::ui::LabelWindow::nextChosen, [&](int) {
    if (labelledAt >= 0)
      chooseMs.push_back(static_cast<double>(clock.nsecsElapsed() - labelledAt) / 1e6);
    labelledAt = -1;
  });
  int given = 0;
  int chosenReady = 0;
  int fileOrderInstead = 0;
  QTimer labeller;
  labeller.setInterval(pace);
  // The key press handled on the GUI thread (the label committed, the next slice asked for).
  std::vector<double> pressMs;
  QObject::connect(&labeller, &QTimer::timeout, [&] {
    pressStart = clock.nsecsElapsed();
    ++pressed;
    QTest::keyClick(&window, static_cast<Qt::Key>(Qt::Key_0 + given % 10));
    labelledAt = clock.nsecsElapsed();
    pressMs.push_back(static_cast<double>(labelledAt - pressStart) / 1e6);
    const QString status = window.statusText();
    if (status.contains("Next:") || status.contains("while the model looks")) ++chosenReady;
    if (status.contains("was not chosen yet")) ++fileOrderInstead;
    if (++given >= labels) labeller.stop();
  });
  labeller.start();
  while (given < labels)
    QTest::qWait(50);
  // Let training catch up while the window stays responsive.
  QElapsedTimer waited;
  waited.start();
  while (window.session() != nullptr &&
         (window.session()->trainerStatus().queued > 0 || window.session()->trainerStatus().busy) &&
         waited.elapsed() < 600000)
    QTest::qWait(50);
  heartbeat.stop();
  const QString teamStatus = window.statusText();

  QElapsedTimer closing;
  closing.start();
  window.close();
  const double closeMs = static_cast<double>(closing.nsecsElapsed()) / 1e6;

  const long over = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g > 50; });
  std::printf("machine: %s, %u hardware threads\n", camlabel::bench::cpuModel().c_str(),
              std::thread::hardware_concurrency());
  std::printf("network %s, %d labels %d ms apart, heatmap on, training in the background\n",
              network.c_str(), labels, pace);
  std::printf(
      "GUI heartbeat (5 ms timer), %zu ticks: median %.1f ms, p99 %.1f ms, max %.1f ms, "
      "%ld gaps over 50 ms\n",
      gaps.size(), percentile(gaps, 0.5), percentile(gaps, 0.99), percentile(gaps, 1.0), over);
  std::printf(
      "a key press on the GUI thread (label kept, next slice asked for): median %.1f ms, "
      "max %.1f ms\n",
      percentile(pressMs, 0.5), percentile(pressMs, 1.0));
  for (const LongGap& g : longGaps) {
    if (g.label == 0)
      std::printf("  gap of %.1f ms before the first key press", g.ms);
    else
      std::printf("  gap of %.1f ms, %.1f ms after key press %d began", g.ms, g.afterPress,
                  g.label);
    std::printf(": GUI thread on a core %.1f ms, waited %ld times, preempted %ld times\n", g.cpuMs,
                g.waits, g.preempted);
  }
  std::printf("close (stops the trainer, writes the last version): %.0f ms\n", closeMs);
  if (pg) {
    // The window holds the project; its database is read beside it, as the label sender does.
    camlabel::project::sqlite::Database local(report.projectDir / "project.sqlite", false);
    std::printf(
        "team server %d ms away each way: %s when training caught up; label rows: %lld "
        "here, %lld on the server after close\n",
        teamDelayMs,
        teamStatus.contains("all labels sent") ? "all labels sent" : "labels still waiting",
        static_cast<long long>(camlabel::project::countLabelsAfter(local, 0)),
        static_cast<long long>(camlabel::team::TeamServer(address).labelRows()));
  }
  if (order != camlabel::learning::LabellingOrder::kFile) {
    std::printf("order %s: the chosen slice followed %d labels, file order %d (choice not ready)\n",
                std::string(camlabel::learning::labellingOrderName(order)).c_str(), chosenReady,
                fileOrderInstead);
    std::printf("choice ready after a label: median %.0f ms, max %.0f ms (%zu of %d labels)\n",
                percentile(chooseMs, 0.5), percentile(chooseMs, 1.0), chooseMs.size(), labels);
  }
  return 0;
}
