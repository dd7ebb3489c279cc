// SPDX-License-Identifier: Apache-2.0
#include "ui/weights_download.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/model/weights_catalog.h"

namespace camlabel::ui {
namespace {

bool isSuccess(int status) {
  return status >= 200 && status < 300;
}

// Errors that mean "the server could not be reached at all": what an offline machine, a missing
// proxy or a blocked firewall produce.
bool isUnreachable(QNetworkReply::NetworkError error) {
  switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:  // our stall timeout: cancel() disconnects first
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownProxyError:
      return true;
    default:
      return false;
  }
}

std::filesystem::path toPath(const QString& path) {
  return std::filesystem::path(QFile::encodeName(path).toStdString());
}

}  // namespace

WeightsDownloader::WeightsDownloader(QObject* parent)
    : QObject(parent), network_(new QNetworkAccessManager(this)) {}

WeightsDownloader::~WeightsDownloader() {
  if (reply_ == nullptr) return;
  stopReply();
  discardPart();
}

bool WeightsDownloader::start(const QUrl& url, const QString& folder) {
  if (reply_ != nullptr) return false;
  url_ = url;
  folder_ = QDir::cleanPath(folder);
  const QString name = url.fileName();
  target_ = QDir(folder_).filePath(name);
  hash_.reset();
  written_ = 0;

  const auto prefix = model::hashPrefixOfFileName(name.toStdString());
  if (!prefix) {
    emit failed(tr("Cannot check the file at %1: its name does not carry the beginning of its "
                   "SHA-256 (as in resnet50-11ad3fa6.pth), so it is not downloaded.")
                    .arg(url.toDisplayString()));
    return false;
  }
  expectedPrefix_ = QByteArray::fromStdString(*prefix);

  std::error_code error;
  std::filesystem::create_directories(toPath(folder_), error);
  if (error) {
    emit failed(
        tr("Cannot create the folder %1: %2.")
            .arg(QDir::toNativeSeparators(folder_), QString::fromStdString(error.message())));
    return false;
  }
  part_.setFileName(target_ + QStringLiteral(".part"));
  // Unbuffered: a full disk shows at the write that hits it, not at some later flush.
  if (!part_.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
    emit failed(tr("Cannot write %1: %2.")
                    .arg(QDir::toNativeSeparators(part_.fileName()), part_.errorString()));
    return false;
  }

  QNetworkRequest request(url);
  request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                       QNetworkRequest::NoLessSafeRedirectPolicy);
  request.setTransferTimeout(stallTimeoutMs_);
  reply_ = network_->get(request);
  connect(reply_, &QNetworkReply::readyRead, this, &WeightsDownloader::onReadyRead);
  connect(reply_, &QNetworkReply::finished, this, &WeightsDownloader::onFinished);
  return true;
}

void WeightsDownloader::cancel() {
  if (reply_ == nullptr) return;
  stopReply();
  discardPart();
  emit cancelled();
}

void WeightsDownloader::onReadyRead() {
  if (reply_ == nullptr || !reply_->isOpen()) return;
  const QByteArray data = reply_->readAll();
  // An error page's body (404, 500, ...) is not the file: it is dropped, and onFinished says why.
  const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (!isSuccess(status) || data.isEmpty()) return;
  if (part_.write(data) != data.size()) {
    fail(tr("Cannot write %1: %2.")
             .arg(QDir::toNativeSeparators(part_.fileName()), part_.errorString()));
    return;
  }
  hash_.addData(data);
  // Reported here rather than through QNetworkReply::downloadProgress, which Qt throttles and
  // which counts bytes received, not bytes safely written.
  written_ += data.size();
  bool known = false;
  const qint64 total = reply_->header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
  emit progress(written_, known ? total : -1);
}

void WeightsDownloader::onFinished() {
  if (reply_ == nullptr) return;
  onReadyRead();
  if (reply_ == nullptr) return;  // a write failed
  const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (reply_->error() != QNetworkReply::NoError || !isSuccess(status)) {
    fail(networkErrorMessage());
    return;
  }
  stopReply();

  const QByteArray actual = hash_.result().toHex();
  if (!actual.startsWith(expectedPrefix_)) {
    discardPart();
    emit failed(tr("The file downloaded from %1 is damaged or not the expected one: its SHA-256 "
                   "is %2, but its name says it begins with %3. It was deleted; try again.")
                    .arg(url_.toDisplayString(), QString::fromLatin1(actual),
                         QString::fromLatin1(expectedPrefix_)));
    return;
  }
  // The bytes reach the disk before the name does: a crash never leaves a torn "<name>".
  if (::fsync(part_.handle()) != 0) {
    const QString reason = QString::fromLocal8Bit(std::strerror(errno));
    discardPart();
    emit failed(tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(target_), reason));
    return;
  }
  part_.close();
  if (std::rename(QFile::encodeName(part_.fileName()).constData(),
                  QFile::encodeName(target_).constData()) != 0) {
    const QString reason = QString::fromLocal8Bit(std::strerror(errno));
    discardPart();
    emit failed(tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(target_), reason));
    return;
  }
  emit finished(target_);
}

void WeightsDownloader::fail(const QString& message) {
  stopReply();
  discardPart();
  emit failed(message);
}

void WeightsDownloader::stopReply() {
  if (reply_ == nullptr) return;
  QNetworkReply* reply = std::exchange(reply_, nullptr);
  reply->disconnect(this);
  if (reply->isRunning()) reply->abort();
  reply->deleteLater();
}

void WeightsDownloader::discardPart() {
  if (part_.fileName().isEmpty()) return;
  part_.close();
  QFile::remove(part_.fileName());
}

QString WeightsDownloader::networkErrorMessage() const {
  const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  const QString url = url_.toDisplayString();
  if (status >= 300) {
    const QString reason =
        reply_->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().trimmed();
    return tr("The server answered \"%1 %2\" for %3: the file is not available there.")
        .arg(QString::number(status), reason, url);
  }
  if (isUnreachable(reply_->error())) {
    const QString reason = reply_->error() == QNetworkReply::OperationCanceledError
                               ? tr("no data arrived for %1 s").arg(stallTimeoutMs_ / 1000)
                               : reply_->errorString();
    return tr("Cannot download %1 (%2).\nWithout internet access, download that address on "
              "another computer and put the file in this folder:\n%3")
        .arg(url, reason, QDir::toNativeSeparators(folder_));
  }
  return tr("Downloading %1 failed: %2.").arg(url, reply_->errorString());
}

}  // namespace camlabel::ui
