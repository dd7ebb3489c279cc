// SPDX-License-Identifier: Apache-2.0
#include "ui/trust_task.h"

#include <QThread>

#include <exception>
#include <string_view>
#include <utility>

#include "core/common/error.h"
#include "core/common/progress.h"

namespace camlabel::ui {
namespace {

enum Outcome { kSucceeded, kFailed, kCancelled };

/// Forwards core's progress to the task's signal (queued to the GUI thread) and answers cancel.
class TaskProgress : public ProgressDelegate {
 public:
  TaskProgress(TrustTask* task, std::shared_ptr<std::atomic<bool>> cancel)
      : task_(task), cancel_(std::move(cancel)) {}
  bool update(double fraction, std::string_view) override {
    emit task_->progressed(fraction);
    return !cancel_->load();
  }

 private:
  TrustTask* task_;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace

TrustTask::TrustTask(QObject* parent) : QObject(parent) {}

TrustTask::~TrustTask() {
  cancelAndWait();
}

bool TrustTask::start(Work work) {
  if (thread_ != nullptr) return false;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
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

void TrustTask::cancel() {
  if (cancel_) cancel_->store(true);
}

void TrustTask::cancelAndWait() {
  if (thread_ == nullptr) return;
  cancel();
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
}

void TrustTask::finish(int outcome, const QString& message) {
  if (thread_ == nullptr) return;  // cancelAndWait() already ended it
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  if (outcome == kSucceeded)
    emit succeeded();
  else if (outcome == kCancelled)
    emit cancelled();
  else
    emit failed(message);
}

}  // namespace camlabel::ui
