// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::ui {

/// One piece of slow work (Torch, an import, a network round trip) on a thread of its own, with
/// progress and cancellation: every dialog's background work goes through it. The work gets a
/// ProgressDelegate whose update() returns false once cancel() was called; core then throws
/// camlabel::Cancelled. Signals arrive on the GUI thread; progress at most once per 0.1% or
/// change of message. The work must not touch widgets. The destructor cancels and waits.
class BackgroundTask : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<void(ProgressDelegate*)>;

  explicit BackgroundTask(QObject* parent = nullptr);
  ~BackgroundTask() override;

  /// Starts `work`; false (and nothing starts) while another run is on its way.
  bool start(Work work);
  /// Asks the run under way to stop, or the next one when none is (it then stops at its first
  /// progress report); a run that has ended takes its cancel with it.
  void cancel();
  /// From start() until just before succeeded(), failed() or cancelled() is emitted.
  bool running() const { return thread_ != nullptr; }
  /// Cancels and blocks until the thread has ended (no signal follows).
  void cancelAndWait();

 signals:
  /// fraction in [0, 1]; message: core's, as it gave it ("Importing images"), often empty.
  void progressed(double fraction, const QString& message);
  void succeeded();
  void failed(const QString& message);
  void cancelled();

 private:
  void finish(int outcome, const QString& message);

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace camlabel::ui
