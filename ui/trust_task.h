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

/// One piece of slow work (Torch, or a network round trip) on a thread of its own, with progress
/// and cancellation. The work gets a ProgressDelegate whose update() returns false once cancel()
/// was called; core then throws camlabel::Cancelled. Signals arrive on the GUI thread. The
/// destructor cancels and waits.
class TrustTask : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<void(ProgressDelegate*)>;

  explicit TrustTask(QObject* parent = nullptr);
  ~TrustTask() override;

  /// Starts `work`; false (and nothing starts) while another run is on its way.
  bool start(Work work);
  void cancel();
  bool running() const { return thread_ != nullptr; }
  /// Cancels and blocks until the thread has ended.
  void cancelAndWait();

 signals:
  void progressed(double fraction);
  void succeeded();
  void failed(const QString& message);
  void cancelled();

 private:
  void finish(int outcome, const QString& message);

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace camlabel::ui
