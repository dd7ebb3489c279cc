// SPDX-License-Identifier: Apache-2.0
// The weights download against an HTTP/1.1 server on loopback that this test runs itself: every
// answer (good file, damaged file, 404, redirect, stalled transfer, refused connection) is
// crafted here, so no test needs the internet.
#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <algorithm>
#include <memory>

#include "ui/weights_dialog.h"
#include "ui/weights_download.h"

using camlabel::ui::WeightsDialog;
using camlabel::ui::WeightsDialogOptions;
using camlabel::ui::WeightsDownloader;

namespace {

// Bounded waits: a transfer here takes milliseconds; these only stop a broken build hanging.
constexpr int kWaitMs = 5000;
constexpr qsizetype kBodySize = 256 * 1024;

// Starts like a zip-format torch.save file (the dialog checks that), then seeded noise.
QByteArray seededBytes(quint32 seed, qsizetype size = kBodySize) {
  QRandomGenerator generator(seed);
  QByteArray bytes(size, Qt::Uninitialized);
  for (char& byte : bytes)
    byte = static_cast<char>(generator.generate() & 0xff);
  bytes.replace(0, 4, QByteArray("PK\x03\x04", 4));
  return bytes;
}

QByteArray sha256Hex(const QByteArray& bytes) {
  return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// torchvision's naming: the first 8 hex digits of the file's own SHA-256.
QString nameFor(const QByteArray& body) {
  return QStringLiteral("resnet50-%1.pth").arg(QString::fromLatin1(sha256Hex(body).left(8)));
}

// One answer of the server.
struct Route {
  QByteArray head;  // status line and headers, each ending in \r\n, without the blank line
  QByteArray body;
  int pieces = 1;      // the body in this many writes, one per timer tick, to show progress
  bool stall = false;  // chunked: the first piece as one chunk, then silence
};

Route ok(const QByteArray& body, int pieces = 8) {
  Route route;
  route.head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\nConnection: close\r\n";
  route.body = body;
  route.pieces = pieces;
  return route;
}

// A minimal HTTP/1.1 server: GET requests, answered from a table of routes; "Connection: close"
// on every answer, so each request comes on its own connection.
class LoopbackServer : public QObject {
 public:
  LoopbackServer() {
    connect(&server_, &QTcpServer::newConnection, this, &LoopbackServer::acceptAll);
    listening_ = server_.listen(QHostAddress::LocalHost, 0);
  }

  bool isListening() const { return listening_; }
  QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort()); }
  void add(const QByteArray& path, Route route) { routes_.insert(path, std::move(route)); }
  const QList<QByteArray>& requests() const { return requests_; }

 private:
  void acceptAll() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
      connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
      connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
  }

  void read(QTcpSocket* socket) {
    QByteArray& buffer = pending_[socket];
    buffer += socket->readAll();
    if (!buffer.contains("\r\n\r\n")) return;
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    pending_.remove(socket);
    const QByteArray path = requestLine.size() >= 2 ? requestLine[1] : QByteArray();
    requests_.append(path);
    const auto found = routes_.constFind(path);
    answer(socket, found != routes_.cend() ? *found
                                           : Route{"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n"
                                                   "Connection: close\r\n",
                                                   "not found", 1, false});
  }

  static void answer(QTcpSocket* socket, const Route& route) {
    const qsizetype pieceSize = (route.body.size() + route.pieces - 1) / std::max(route.pieces, 1);
    if (route.stall) {
      const QByteArray first = route.body.left(pieceSize);
      socket->write(route.head + "Transfer-Encoding: chunked\r\n\r\n" +
                    QByteArray::number(first.size(), 16) + "\r\n" + first + "\r\n");
      return;
    }
    socket->write(route.head + "\r\n");
    auto* timer = new QTimer(socket);
    timer->setInterval(1);
    auto offset = std::make_shared<qsizetype>(0);
    const QByteArray body = route.body;
    connect(timer, &QTimer::timeout, socket, [socket, timer, offset, body, pieceSize] {
      if (*offset < body.size()) socket->write(body.mid(*offset, pieceSize));
      *offset += pieceSize;
      if (*offset >= body.size()) {
        timer->stop();
        socket->disconnectFromHost();
      }
    });
    timer->start();
  }

  QTcpServer server_;
  bool listening_ = false;
  QHash<QByteArray, Route> routes_;
  QHash<QTcpSocket*, QByteArray> pending_;
  QList<QByteArray> requests_;
};

QStringList entriesOf(const QString& folder) {
  return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A port nothing listens on: taken from the system, then released.
quint16 closedPort() {
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
  const quint16 port = probe.serverPort();
  probe.close();
  return port;
}

}  // namespace

class WeightsDownloadTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    folder_ = QDir(dir_->path()).filePath(QStringLiteral("weights"));
  }
  void cleanup() { dir_.reset(); }

  void downloadsVerifiesAndRenames() {
    LoopbackServer server;
    QVERIFY(server.isListening());
    const QByteArray body = seededBytes(1);
    const QString name = nameFor(body);
    server.add("/models/" + name.toLatin1(), ok(body));

    WeightsDownloader downloader;
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QSignalSpy progress(&downloader, &WeightsDownloader::progress);
    QVERIFY(downloader.start(QUrl(server.base() + "/models/" + name), folder_));
    QVERIFY(downloader.isRunning());
    QVERIFY(QFile::exists(QDir(folder_).filePath(name + ".part")));
    QVERIFY2(finished.wait(kWaitMs),
             qPrintable(failed.isEmpty() ? QString() : failed[0][0].toString()));

    const QString target = QDir(folder_).filePath(name);
    QCOMPARE(finished[0][0].toString(), target);
    QCOMPARE(readAll(target), body);
    QCOMPARE(entriesOf(folder_), QStringList{name});  // no .part left behind
    QVERIFY(!downloader.isRunning());
    QVERIFY(failed.isEmpty());
    // Progress came in steps and ended at the announced size.
    QVERIFY2(progress.size() >= 2, qPrintable(QString::number(progress.size())));
    QCOMPARE(progress.last()[0].toLongLong(), kBodySize);
    QCOMPARE(progress.last()[1].toLongLong(), kBodySize);
  }

  void replacesAnEarlierFileOfTheSameName() {
    LoopbackServer server;
    const QByteArray body = seededBytes(2, 4096);
    const QString name = nameFor(body);
    server.add("/models/" + name.toLatin1(), ok(body, 2));
    QVERIFY(QDir().mkpath(folder_));
    QFile old(QDir(folder_).filePath(name));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("truncated");
    old.close();

    WeightsDownloader downloader;
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QVERIFY(downloader.start(QUrl(server.base() + "/models/" + name), folder_));
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(readAll(QDir(folder_).filePath(name)), body);
  }

  void rejectsABodyThatDoesNotMatchItsName() {
    LoopbackServer server;
    const QByteArray expected = seededBytes(3);
    const QByteArray served = seededBytes(4);
    const QString name = nameFor(expected);
    server.add("/models/" + name.toLatin1(), ok(served));

    WeightsDownloader downloader;
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(server.base() + "/models/" + name), folder_));
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains(QString::fromLatin1(sha256Hex(expected).left(8))),
             qPrintable(message));
    QVERIFY2(message.contains(QString::fromLatin1(sha256Hex(served))), qPrintable(message));
    QVERIFY(finished.isEmpty());
    QCOMPARE(entriesOf(folder_), QStringList{});
  }

  void reportsAnHttpError() {
    LoopbackServer server;
    const QString name = nameFor(seededBytes(5, 1024));
    const QString url = server.base() + "/missing/" + name;

    WeightsDownloader downloader;
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(url), folder_));
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains(QStringLiteral("404 Not Found")), qPrintable(message));
    QVERIFY2(message.contains(url), qPrintable(message));
    // The error page's body is not kept under the file's name, nor anywhere else.
    QCOMPARE(entriesOf(folder_), QStringList{});
  }

  void followsARedirect() {
    LoopbackServer server;
    const QByteArray body = seededBytes(6);
    const QString name = nameFor(body);
    server.add("/models/" + name.toLatin1(), ok(body));
    server.add("/redirect/" + name.toLatin1(),
               Route{"HTTP/1.1 302 Found\r\nLocation: /models/" + name.toLatin1() +
                         "\r\nContent-Length: 5\r\nConnection: close\r\n",
                     "moved", 1, false});

    WeightsDownloader downloader;
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(server.base() + "/redirect/" + name), folder_));
    QVERIFY2(finished.wait(kWaitMs),
             qPrintable(failed.isEmpty() ? QString() : failed[0][0].toString()));
    QCOMPARE(server.requests(),
             (QList<QByteArray>{"/redirect/" + name.toLatin1(), "/models/" + name.toLatin1()}));
    QCOMPARE(readAll(QDir(folder_).filePath(name)), body);  // the redirect's own body is not in it
  }

  void cancelLeavesNoFile() {
    LoopbackServer server;
    const QByteArray body = seededBytes(7);
    const QString name = nameFor(body);
    Route slow;
    slow.head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
    slow.body = body;
    slow.pieces = 4;
    slow.stall = true;
    server.add("/slow/" + name.toLatin1(), slow);

    WeightsDownloader downloader;
    QSignalSpy progress(&downloader, &WeightsDownloader::progress);
    QSignalSpy cancelled(&downloader, &WeightsDownloader::cancelled);
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(server.base() + "/slow/" + name), folder_));
    QVERIFY(progress.wait(kWaitMs));
    QTRY_VERIFY_WITH_TIMEOUT(progress.last()[0].toLongLong() == kBodySize / 4, kWaitMs);
    QCOMPARE(progress.last()[1].toLongLong(), -1);  // chunked: the size is unknown
    const QString part = QDir(folder_).filePath(name + ".part");
    QVERIFY(QFile::exists(part));

    downloader.cancel();
    QCOMPARE(cancelled.size(), 1);
    QVERIFY(!downloader.isRunning());
    QVERIFY(!QFile::exists(part));
    QCOMPARE(entriesOf(folder_), QStringList{});
    // Nothing else arrives from the aborted transfer.
    QVERIFY(!failed.wait(200));
    QVERIFY(finished.isEmpty());
    QCOMPARE(cancelled.size(), 1);
  }

  void aStalledTransferFails() {
    LoopbackServer server;
    const QByteArray body = seededBytes(8);
    const QString name = nameFor(body);
    Route slow;
    slow.head = "HTTP/1.1 200 OK\r\n";
    slow.body = body;
    slow.pieces = 4;
    slow.stall = true;
    server.add("/slow/" + name.toLatin1(), slow);

    WeightsDownloader downloader;
    downloader.setStallTimeout(300);
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(server.base() + "/slow/" + name), folder_));
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains(QDir::toNativeSeparators(folder_)), qPrintable(message));
    QCOMPARE(entriesOf(folder_), QStringList{});
  }

  void offlineNamesTheUrlAndTheFolder() {
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const QString name = nameFor(seededBytes(9, 1024));
    const QString url = QStringLiteral("http://127.0.0.1:%1/models/%2").arg(port).arg(name);

    WeightsDownloader downloader;
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(downloader.start(QUrl(url), folder_));
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains(url), qPrintable(message));
    QVERIFY2(message.contains(QDir::toNativeSeparators(folder_)), qPrintable(message));
    QCOMPARE(entriesOf(folder_), QStringList{});
  }

  void aFullDiskFailsCleanly() {
    if (!QFile::exists(QStringLiteral("/dev/full"))) QSKIP("no /dev/full on this system");
    LoopbackServer server;
    const QByteArray body = seededBytes(10);
    const QString name = nameFor(body);
    server.add("/models/" + name.toLatin1(), ok(body));
    // Every write to the .part file goes to /dev/full, which answers "No space left on device".
    QVERIFY(QDir().mkpath(folder_));
    const QString part = QDir(folder_).filePath(name + ".part");
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), part));

    WeightsDownloader downloader;
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QSignalSpy finished(&downloader, &WeightsDownloader::finished);
    QVERIFY(downloader.start(QUrl(server.base() + "/models/" + name), folder_));
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains(QDir::toNativeSeparators(part)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("No space left on device")), qPrintable(message));
    QVERIFY(finished.isEmpty());
    QCOMPARE(entriesOf(folder_), QStringList{});
  }

  void refusesANameWithoutHash() {
    LoopbackServer server;
    WeightsDownloader downloader;
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(!downloader.start(QUrl(server.base() + "/models/resnet50.pth"), folder_));
    QCOMPARE(failed.size(), 1);
    QVERIFY(!downloader.isRunning());
    QVERIFY(server.requests().isEmpty());
  }

  void reportsAFolderThatCannotBeCreated() {
    QFile blocker(QDir(dir_->path()).filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString folder = QDir(dir_->path()).filePath(QStringLiteral("file/weights"));
    WeightsDownloader downloader;
    QSignalSpy failed(&downloader, &WeightsDownloader::failed);
    QVERIFY(!downloader.start(QUrl("http://127.0.0.1:1/models/" + nameFor("x")), folder));
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed[0][0].toString().contains(QDir::toNativeSeparators(folder)),
             qPrintable(failed[0][0].toString()));
  }

  void dialogDownloadsThenUsesTheFile() {
    LoopbackServer server;
    const QByteArray body = seededBytes(11);
    const QString name = nameFor(body);
    server.add("/mirror/" + name.toLatin1(), ok(body));

    WeightsDialog dialog(
        nullptr, WeightsDialogOptions{
                     folder_, server.base() + "/mirror", {{name, QStringLiteral("test file")}}});
    auto* list = dialog.findChild<QTreeWidget*>(QStringLiteral("weightsList"));
    auto* download = dialog.findChild<QPushButton*>(QStringLiteral("downloadButton"));
    auto* use = dialog.findChild<QPushButton*>(QStringLiteral("useButton"));
    auto* downloader = dialog.findChild<WeightsDownloader*>();
    QVERIFY(list && download && use && downloader);
    QCOMPARE(dialog.urlOf(name), server.base() + "/mirror/" + name);
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Missing"));
    QVERIFY(!use->isEnabled());
    QVERIFY(download->isEnabled());

    QSignalSpy finished(downloader, &WeightsDownloader::finished);
    download->click();
    QVERIFY(downloader->isRunning());
    QVERIFY(!use->isEnabled());
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Present"));
    QVERIFY(use->isEnabled());
    use->click();
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Accepted));
    QVERIFY(dialog.selectedWeights().has_value());
    QCOMPARE(QString::fromStdString(dialog.selectedWeights()->string()),
             QDir(folder_).filePath(name));
  }

  void dialogShowsTheOfflineMessage() {
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const QString name = nameFor(seededBytes(12, 1024));
    const QString base = QStringLiteral("http://127.0.0.1:%1/models/").arg(port);
    WeightsDialog dialog(nullptr, WeightsDialogOptions{folder_, base, {{name, QString()}}});
    auto* downloader = dialog.findChild<WeightsDownloader*>();
    auto* message = dialog.findChild<QLabel*>(QStringLiteral("weightsMessage"));
    QVERIFY(downloader && message);
    QSignalSpy failed(downloader, &WeightsDownloader::failed);
    dialog.findChild<QPushButton*>(QStringLiteral("downloadButton"))->click();
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(message->text().contains(base + name), qPrintable(message->text()));
    QVERIFY2(message->text().contains(QDir::toNativeSeparators(folder_)),
             qPrintable(message->text()));
    QVERIFY(!dialog.selectedWeights().has_value());
  }

  void dialogRemovesADamagedFileInsteadOfUsingIt() {
    const QByteArray body = seededBytes(13, 1024);
    const QString name = nameFor(body);
    QVERIFY(QDir().mkpath(folder_));
    QFile damaged(QDir(folder_).filePath(name));
    QVERIFY(damaged.open(QIODevice::WriteOnly));
    damaged.write(QByteArray("PK\x03\x04", 4) + body.left(100));
    damaged.close();

    WeightsDialog dialog(
        nullptr,
        WeightsDialogOptions{folder_, QStringLiteral("http://127.0.0.1:1/"), {{name, QString()}}});
    auto* list = dialog.findChild<QTreeWidget*>(QStringLiteral("weightsList"));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Present"));
    dialog.findChild<QPushButton*>(QStringLiteral("useButton"))->click();
    QVERIFY(!dialog.selectedWeights().has_value());
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Rejected));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Missing"));
    QVERIFY(!QFile::exists(QDir(folder_).filePath(name)));
  }

  void dialogCopiesAChosenTorchvisionFileIntoTheFolder() {
    const QByteArray body = seededBytes(14, 4096);
    const QString name = nameFor(body);
    const QString elsewhere = QDir(dir_->path()).filePath(QStringLiteral("usb"));
    QVERIFY(QDir().mkpath(elsewhere));
    QFile chosen(QDir(elsewhere).filePath(name));
    QVERIFY(chosen.open(QIODevice::WriteOnly));
    chosen.write(body);
    chosen.close();

    WeightsDialog dialog(
        nullptr,
        WeightsDialogOptions{folder_, QStringLiteral("http://127.0.0.1:1/"), {{name, QString()}}});
    QVERIFY(dialog.useFile(chosen.fileName()));
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Accepted));
    const QString copy = QDir(folder_).filePath(name);
    QCOMPARE(QString::fromStdString(dialog.selectedWeights()->string()), copy);
    QCOMPARE(readAll(copy), body);
    QCOMPARE(
        dialog.findChild<QTreeWidget*>(QStringLiteral("weightsList"))->topLevelItem(0)->text(1),
        QStringLiteral("Present"));
  }

  void dialogRefusesAChosenFileThatIsNotWhatItsNameSays() {
    const QString elsewhere = QDir(dir_->path()).filePath(QStringLiteral("usb"));
    QVERIFY(QDir().mkpath(elsewhere));
    QFile chosen(QDir(elsewhere).filePath(QStringLiteral("resnet50-11ad3fa6.pth")));
    QVERIFY(chosen.open(QIODevice::WriteOnly));
    chosen.write(seededBytes(15, 4096));
    chosen.close();

    WeightsDialog dialog(nullptr,
                         WeightsDialogOptions{folder_, QStringLiteral("http://127.0.0.1:1/"), {}});
    QVERIFY(!dialog.useFile(chosen.fileName()));
    QVERIFY(!dialog.selectedWeights().has_value());
    const QString message = dialog.findChild<QLabel*>(QStringLiteral("weightsMessage"))->text();
    QVERIFY2(message.contains(QStringLiteral("11ad3fa6")), qPrintable(message));
    QVERIFY(!QFile::exists(QDir(folder_).filePath(QStringLiteral("resnet50-11ad3fa6.pth"))));
  }

  void urlBaseComesFromTheEnvironment() {
    const QByteArray saved = qgetenv("CAMLABEL_WEIGHTS_URL_BASE");
    qputenv("CAMLABEL_WEIGHTS_URL_BASE", "http://mirror.example/weights");
    const QString fromEnvironment = WeightsDialog::defaultUrlBase();
    WeightsDialog dialog(nullptr, WeightsDialogOptions{folder_, QString(), {}});
    const QString url = dialog.urlOf(QStringLiteral("resnet50-11ad3fa6.pth"));
    qunsetenv("CAMLABEL_WEIGHTS_URL_BASE");
    const QString torchvision = WeightsDialog::defaultUrlBase();
    if (!saved.isEmpty()) qputenv("CAMLABEL_WEIGHTS_URL_BASE", saved);

    QCOMPARE(fromEnvironment, QStringLiteral("http://mirror.example/weights/"));
    QCOMPARE(url, QStringLiteral("http://mirror.example/weights/resnet50-11ad3fa6.pth"));
    QCOMPARE(torchvision, QStringLiteral("https://download.pytorch.org/models/"));
    // Without offers of its own, the dialog lists torchvision's two ResNet50 files.
    auto* list = dialog.findChild<QTreeWidget*>(QStringLiteral("weightsList"));
    QCOMPARE(list->topLevelItemCount(), 2);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("resnet50-11ad3fa6.pth"));
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;  // a fresh one for each test
  QString folder_;
};

QTEST_MAIN(WeightsDownloadTest)
#include "weights_download_test.moc"
