// SPDX-License-Identifier: Apache-2.0
#include "ui/background_task.h"

#include <QThread>

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "core/common/error.h"
#include "core/common/progress.h"

namespace camlabel::ui {
namespace {

enum Outcome { kSucceeded, kFailed, kCancelled };

/// Progress reports per run that reach the GUI thread, at most (one per 0.1%), besides a new
/// message: an import of 100,000 files would otherwise queue 100,000 signals.
constexpr double kProgressSteps = 1000.0;

/// Forwards core's progress to the task's signal (queued to the GUI thread) and answers cancel.
class TaskProgress : public ProgressDelegate {
 public:
  TaskProgress(BackgroundTask* task, std::shared_ptr<std::atomic<bool>> cancel)
      : task_(task), cancel_(std::move(cancel)) {}
  bool update(double fraction, std::string_view message) override {
    if (cancel_->load()) return false;
    const int step = static_cast<int>(fraction * kProgressSteps);
    if (step != lastStep_ || message != lastMessage_) {
      lastStep_ = step;
      lastMessage_ = std::string(message);
      emit task_->progressed(
          fraction, QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size())));
    }
    return true;
  }

 private:
  BackgroundTask* task_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  int lastStep_ = -1;
  std::string lastMessage_;
};

}  // namespace

BackgroundTask::BackgroundTask(QObject* parent)
    : QObject(parent), cancel_(std::make_shared<std::atomic<bool>>(false)) {}

BackgroundTask::~BackgroundTask() {
  cancelAndWait();
}

bool BackgroundTask::start(Work work) {
  if (thread_ != nullptr) return false;
  thread_ = QThread::create([this, work = std::move(work), cancel = cancel_] {
    int outcome = kSucceeded;
    QString message;
    try {
      TaskProgress progress(this, cancel);
      work(&progress);
    } catch (const Cancelled&) {
      outcome = kCancelled;
    } catch (const std::exception& e) {
      outcome = kFailed;
      message = QString::fromUtf8(e.what());
    } catch (...) {
      outcome = kFailed;
      message = QStringLiteral("unknown error");
    }
    QMetaObject::invokeMethod(
        this, [this, outcome, message] { finish(outcome, message); }, Qt::QueuedConnection);
  });
  thread_->start();
  return true;
}

void BackgroundTask::cancel() {
  cancel_->store(true);
}

void BackgroundTask::cancelAndWait() {
  if (thread_ == nullptr) return;
  cancel();
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  cancel_ = std::make_shared<std::atomic<bool>>(false);  // a cancel is a run's, not the next's
}

void BackgroundTask::finish(int outcome, const QString& message) {
  if (thread_ == nullptr) return;  // cancelAndWait() already ended it
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  if (outcome == kSucceeded)
    emit succeeded();
  else if (outcome == kCancelled)
    emit cancelled();
  else
    emit failed(message);
}

}  // namespace camlabel::ui
