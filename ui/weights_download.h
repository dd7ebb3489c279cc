// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace camlabel::ui {

/// Downloads one torchvision weights file into a folder, on the GUI thread's event loop (the
/// network work is asynchronous; nothing blocks). The bytes stream into "<name>.part" in the
/// target folder (never all in memory) while their SHA-256 is computed; when the transfer ends
/// the hash must begin with the prefix the file name carries (torchvision's "-<hex>." rule),
/// then the file is flushed to disk and renamed to "<name>", replacing any file of that name. So
/// "<name>" only ever appears complete and verified, and every failure or cancel removes the
/// ".part" file. Redirects are followed unless they go from https to http.
///
/// Every start() that returns true ends in exactly one of finished(), failed() or cancelled().
/// Messages are translated, complete sentences fit for the dialog.
class WeightsDownloader : public QObject {
  Q_OBJECT

 public:
  explicit WeightsDownloader(QObject* parent = nullptr);
  /// Stops a running download and removes its ".part" file (without emitting cancelled()).
  ~WeightsDownloader() override;

  /// Starts fetching `url` into `folder` (created when missing) under the URL's file name, which
  /// must carry a hash prefix (e.g. ".../resnet50-11ad3fa6.pth"). Returns true when the transfer
  /// began. Returns false when one is already running (nothing emitted), or after emitting
  /// failed() when the name carries no hash or the folder or ".part" file cannot be created.
  bool start(const QUrl& url, const QString& folder);

  /// Stops the running download at once: the ".part" file is removed before cancelled() is
  /// emitted (synchronously, from this call). Does nothing when none runs.
  void cancel();

  bool isRunning() const { return reply_ != nullptr; }

  /// The file a running or finished download writes (empty before the first start()).
  QString targetPath() const { return target_; }

  /// A transfer that receives nothing for this long fails like a lost connection
  /// (default 60000 ms; 0: never). Applies to later start() calls.
  void setStallTimeout(int milliseconds) { stallTimeoutMs_ = milliseconds; }

 signals:
  /// Bytes written to the ".part" file so far and the size the server announced (-1 when it
  /// did not, as with chunked transfers). Emitted for every block that arrives.
  void progress(qint64 received, qint64 total);
  /// The verified file is in place at `path`.
  void finished(const QString& path);
  /// Nothing was kept; `message` says why (and, without a connection, the URL and the folder
  /// where the user can put the file by hand).
  void failed(const QString& message);
  void cancelled();

 private:
  void onReadyRead();
  void onFinished();
  void fail(const QString& message);
  void stopReply();
  void discardPart();
  QString networkErrorMessage() const;

  QNetworkAccessManager* network_;
  QNetworkReply* reply_ = nullptr;
  QFile part_;
  QCryptographicHash hash_{QCryptographicHash::Sha256};
  QUrl url_;
  QString folder_;
  QString target_;
  QByteArray expectedPrefix_;
  qint64 written_ = 0;
  int stallTimeoutMs_ = 60000;
};

}  // namespace camlabel::ui
