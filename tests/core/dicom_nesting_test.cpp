// Issue 18: a DICOM file with sequences nested thousands deep is refused with a reason instead
// of overflowing the stack in DCMTK's recursive parser.

#include "core/imaging/dicom_nesting.h"

#include <gtest/gtest.h>

#include <zlib.h>
#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v & 0xFFFF)) + le16(static_cast<std::uint16_t>(v >> 16));
}
std::string tag(std::uint16_t group, std::uint16_t element) {
  return le16(group) + le16(element);
}

/// Preamble, "DICM" and a file meta group naming the transfer syntax (explicit VR LE, as the
/// standard has it), a CT image's SOP class.
std::string part10(const std::string& transferSyntax) {
  auto ui = [](std::uint16_t element, std::string uid) {
    if (uid.size() % 2 != 0) uid += '\0';
    return tag(0x0002, element) + "UI" + le16(static_cast<std::uint16_t>(uid.size())) + uid;
  };
  const std::string meta = tag(0x0002, 0x0001) + "OB" + std::string(2, '\0') + le32(2) +
                           std::string("\0\1", 2) + ui(0x0002, "1.2.840.10008.5.1.4.1.1.2") +
                           ui(0x0003, "1.2.3.4") + ui(0x0010, transferSyntax);
  return std::string(128, '\0') + "DICM" + tag(0x0002, 0x0000) + "UL" + le16(4) +
         le32(static_cast<std::uint32_t>(meta.size())) + meta;
}

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;

/// Content Sequences nested `depth` deep, each of one item, with undefined lengths (explicit VR).
std::string nestedUndefined(int depth) {
  std::string bytes = part10("1.2.840.10008.1.2.1");
  for (int i = 0; i < depth; ++i) {
    bytes += tag(0x0040, 0xA730) + "SQ" + std::string(2, '\0') + le32(kUndefined);
    bytes += tag(0xFFFE, 0xE000) + le32(kUndefined);
  }
  for (int i = 0; i < depth; ++i) {
    bytes += tag(0xFFFE, 0xE00D) + le32(0);
    bytes += tag(0xFFFE, 0xE0DD) + le32(0);
  }
  return bytes;
}

/// The same nesting with defined lengths in implicit VR, where only the dictionary says that
/// (0040,A730) is a sequence.
std::string nestedDefinedImplicit(int depth) {
  std::string bytes = part10("1.2.840.10008.1.2");
  for (int k = depth; k >= 1; --k) {
    bytes += tag(0x0040, 0xA730) + le32(static_cast<std::uint32_t>(16 * k - 8));
    bytes += tag(0xFFFE, 0xE000) + le32(static_cast<std::uint32_t>(16 * (k - 1)));
  }
  return bytes;
}

/// The same data set deflated (transfer syntax 1.2.840.10008.1.2.1.99: raw deflate of everything
/// after the file meta group).
std::string deflated(const std::string& explicitLittleEndian) {
  const std::string plainMeta = part10("1.2.840.10008.1.2.1");
  const std::string dataSet = explicitLittleEndian.substr(plainMeta.size());
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(dataSet.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(dataSet.data()));
  z.avail_in = static_cast<uInt>(dataSet.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return part10("1.2.840.10008.1.2.1.99") + out;
}

void expectRefused(const std::filesystem::path& file) {
  for (const bool probe : {false, true}) {
    try {
      if (probe) {
        probeImage(file);
      } else {
        readImage(file);
      }
      FAIL() << file << " was read";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(file.filename().string()), std::string::npos) << message;
      EXPECT_NE(message.find("nests sequences more than 100 deep"), std::string::npos) << message;
    }
  }
}

TEST(DicomNesting, ThousandsOfNestedSequencesAreRefusedNotACrash) {
  test::TempDir dir;
  test::writeFile(dir / "deep_undefined.dcm", nestedUndefined(20000));
  expectRefused(dir / "deep_undefined.dcm");
  test::writeFile(dir / "deep_defined", nestedDefinedImplicit(20000));
  expectRefused(dir / "deep_defined");
}

// A deflated data set (which DCMTK inflates as it parses) is walked as it inflates: 20,000
// nested sequences in 1 KB of file are refused as the plain ones are.
TEST(DicomNesting, ADeflatedDataSetIsWalkedToo) {
  test::TempDir dir;
  const std::string bomb = deflated(nestedUndefined(20000));
  EXPECT_LT(bomb.size(), 20000U) << "far smaller than the 480 KB it inflates to";
  test::writeFile(dir / "deep_deflated.dcm", bomb);
  expectRefused(dir / "deep_deflated.dcm");
  test::writeFile(dir / "100.dcm", deflated(nestedUndefined(100)));
  EXPECT_NO_THROW(detail::checkSequenceNesting(dir / "100.dcm"));
  test::writeFile(dir / "101.dcm", deflated(nestedUndefined(101)));
  EXPECT_THROW(detail::checkSequenceNesting(dir / "101.dcm"), InputError);
  // A damaged stream is left to DCMTK, which refuses it in its own words.
  std::string damaged = deflated(nestedUndefined(3));
  damaged.resize(damaged.size() - 4);
  damaged += "\xff\xff\xff\xff";
  test::writeFile(dir / "damaged.dcm", damaged);
  EXPECT_NO_THROW(detail::checkSequenceNesting(dir / "damaged.dcm"));
}

// Found by fuzz_image: a deflated data set whose value claims 4 GB in a few bytes made DCMTK
// allocate the 4 GB (it cannot leave a compressed value on disk). Refused before DCMTK reads.
TEST(DicomNesting, ADeflatedValueLongerThanItsStreamIsRefused) {
  test::TempDir dir;
  const std::string claim = part10("1.2.840.10008.1.2.1") + tag(0x0009, 0x1010) + "OB" +
                            std::string(2, '\0') + le32(0xF0000000) + std::string(64, 'x');
  test::writeFile(dir / "claim.dcm", deflated(claim));
  for (const bool probe : {false, true}) {
    try {
      if (probe) {
        probeImage(dir / "claim.dcm");
      } else {
        readImage(dir / "claim.dcm");
      }
      FAIL() << "read";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("claims 4026531840 bytes"), std::string::npos)
          << e.what();
    }
  }
  // A deflated value as long as it says is read past.
  const std::string fits = part10("1.2.840.10008.1.2.1") + tag(0x0009, 0x1010) + "OB" +
                           std::string(2, '\0') + le32(70u << 20) + std::string(70u << 20, 'x');
  test::writeFile(dir / "fits.dcm", deflated(fits));
  EXPECT_NO_THROW(detail::checkSequenceNesting(dir / "fits.dcm"));
}

TEST(DicomNesting, TheBoundIsOneHundredSequences) {
  test::TempDir dir;
  for (const bool undefinedLengths : {true, false}) {
    const auto make = undefinedLengths ? nestedUndefined : nestedDefinedImplicit;
    test::writeFile(dir / "100.dcm", make(100));
    EXPECT_NO_THROW(detail::checkSequenceNesting(dir / "100.dcm"));
    test::writeFile(dir / "101.dcm", make(101));
    EXPECT_THROW(detail::checkSequenceNesting(dir / "101.dcm"), InputError);
  }
}

TEST(DicomNesting, RealFilesPassTheWalk) {
  for (const char* name :
       {"CT_small.dcm", "CT_small_deflated.dcm", "MR_small_RLE.dcm", "JPEG-lossy.dcm",
        "no_meta.dcm", "MR_truncated.dcm", "rtdose.dcm", "rtplan.dcm"}) {
    EXPECT_NO_THROW(detail::checkSequenceNesting(test::dataDir() / name)) << name;
  }
  // The walk does reach the sequences of a real file: an RT plan nests beams, control points
  // and their devices.
  EXPECT_THROW(detail::checkSequenceNesting(test::dataDir() / "rtplan.dcm", 1), InputError);
  // A real deflated slice passes the walk and reads to the very values of the plain one.
  const CtImage plain = readImage(test::dataDir() / "CT_small.dcm");
  const CtImage inflated = readImage(test::dataDir() / "CT_small_deflated.dcm");
  ASSERT_EQ(plain.values.size(), inflated.values.size());
  EXPECT_EQ(cv::norm(plain.values, inflated.values, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace camlabel::imaging
