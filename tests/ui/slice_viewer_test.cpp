// SPDX-License-Identifier: Apache-2.0
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include "core/imaging/window.h"
#include "ui/slice_viewer.h"

namespace camlabel::ui {

/// What a user sees in the slice viewer after opening files and pressing keys.
class SliceViewerTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::filesystem::path folder() const { return dir_.path().toStdString(); }

  /// A 16-bit CT-convention PNG (stored = HU + 1024) holding one value.
  void writeCt(const std::string& name, float hu) {
    cv::Mat stored(32, 32, CV_16U, cv::Scalar(hu + 1024));
    QVERIFY(cv::imwrite((folder() / name).string(), stored));
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    writeCt("slice2.png", -650);  // lung window [-1350, 150]: 700/1500 * 255 = 119
    writeCt("slice10.png", 150);  // top of the lung window: white
    std::FILE* bad = std::fopen((folder() / "slice3.png").c_str(), "w");
    std::fputs("not a png", bad);
    std::fclose(bad);
  }

  /// Shortcuts reach only the active window, as for a user.
  static void showActive(SliceViewer& viewer) {
    viewer.show();
    viewer.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&viewer, 2000));
  }

  void opensAFolderInNaturalOrderAndShowsTheLungWindow() {
    SliceViewer viewer;
    showActive(viewer);
    viewer.openPaths({folder()});
    QCOMPARE(viewer.imageCount(), 3);
    QCOMPARE(viewer.currentIndex(), 0);
    QVERIFY(viewer.errorText().isEmpty());
    QVERIFY(viewer.currentWindow() == imaging::kLungWindow);
    const QImage shown = viewer.displayedImage();
    QCOMPARE(shown.size(), QSize(32, 32));
    QCOMPARE(qGray(shown.pixel(5, 5)), 119);
  }

  void arrowKeysMoveAndABadFileIsReportedNotFatal() {
    SliceViewer viewer;
    showActive(viewer);
    viewer.openPaths({folder()});
    QSignalSpy shown(&viewer, &SliceViewer::imageShown);
    QTest::keyClick(&viewer, Qt::Key_Right);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(viewer.currentIndex(), 1);  // slice3.png, after slice2 and before slice10
    QVERIFY(viewer.displayedImage().isNull());
    QVERIFY(viewer.errorText().contains("slice3.png"));
    QVERIFY(viewer.errorText().contains("not an image"));
    QTest::keyClick(&viewer, Qt::Key_Right);
    QCOMPARE(viewer.currentIndex(), 2);
    QVERIFY(viewer.errorText().isEmpty());
    QCOMPARE(qGray(viewer.displayedImage().pixel(0, 0)), 255);
    QTest::keyClick(&viewer, Qt::Key_Right);  // already at the last image
    QCOMPARE(viewer.currentIndex(), 2);
    QTest::keyClick(&viewer, Qt::Key_Left);
    QTest::keyClick(&viewer, Qt::Key_Left);
    QCOMPARE(viewer.currentIndex(), 0);
  }

  void functionKeysChangeTheWindow() {
    SliceViewer viewer;
    showActive(viewer);
    viewer.openPaths({folder() / "slice10.png"});  // 150 HU
    QTest::keyClick(&viewer, Qt::Key_F2);          // mediastinal [-160, 240]
    QVERIFY(viewer.currentWindow() == imaging::kMediastinalWindow);
    QCOMPARE(qGray(viewer.displayedImage().pixel(1, 1)), 198);  // round(310/400 * 255)
    QTest::keyClick(&viewer, Qt::Key_F3);                       // bone [-500, 1300]
    QCOMPARE(qGray(viewer.displayedImage().pixel(1, 1)), 92);   // round(650/1800 * 255)
    QTest::keyClick(&viewer, Qt::Key_F1);
    QCOMPARE(qGray(viewer.displayedImage().pixel(1, 1)), 255);
    QTest::keyClick(&viewer, Qt::Key_F2);
    QTest::keyClick(&viewer, Qt::Key_F4);  // back to the image's own (lung, for CT)
    QVERIFY(viewer.currentWindow() == imaging::kLungWindow);
  }
};

}  // namespace camlabel::ui

QTEST_MAIN(camlabel::ui::SliceViewerTest)
#include "slice_viewer_test.moc"
