// SPDX-License-Identifier: Apache-2.0
// Issue 18: a DICOM file with sequences nested thousands deep is refused with a reason instead
// of overflowing the stack in DCMTK's recursive parser.

#include "core/imaging/dicom_nesting.h"

#include <gtest/gtest.h>

#include <zlib.h>
#include <opencv2/core.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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

// A deflated data set is inflated and its copy walked: 20,000 nested sequences in 1 KB of file
// are refused as the plain ones are.
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
}

/// Exits with `code` after removing `scratch` (when given): _Exit runs no destructor.
[[noreturn]] void exitRemoving(const std::filesystem::path& scratch, int code) {
  std::error_code ec;
  if (!scratch.empty()) std::filesystem::remove_all(scratch, ec);
  std::_Exit(code);
}

/// Reads `file` with an address space that may grow by 512 MiB at most, and exits 0 when it is
/// refused for what it is (truncated, damaged, a claim beyond the file): a reader that allocates
/// what a value claims fails there with "Virtual Memory exhausted" (or dies) instead. Runs in
/// the death test's child, which ran the test's body up to here again (gtest's "threadsafe"
/// style) and so made its own copy of the test's scratch folder: `scratch` is removed before the
/// child exits, whose _Exit runs no destructor.
[[noreturn]] void readWithBoundedMemory(const std::filesystem::path& file, bool probe,
                                        const std::filesystem::path& scratch) {
  long pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const auto limit =
      static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + (rlim_t{512} << 20);
  const rlimit bound{limit, limit};
  setrlimit(RLIMIT_AS, &bound);
  try {
    if (probe) {
      probeImage(file);
    } else {
      readImage(file);
    }
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    exitRemoving(scratch, std::string(e.what()).find("exhausted") == std::string::npos ? 0 : 1);
  }
  exitRemoving(scratch, 2);
}

/// `scratch`: the test's own scratch folder, if it has one (see readWithBoundedMemory).
void refusedWithoutAllocating(const std::filesystem::path& file, bool probe,
                              const std::string& reason,
                              const std::filesystem::path& scratch = {}) {
  EXPECT_EXIT(readWithBoundedMemory(file, probe, scratch), ::testing::ExitedWithCode(0), reason)
      << file << (probe ? " probed" : " read");
}

// Found by fuzz_image, three times: a deflated data set whose value claims gigabytes in a few bytes
// made DCMTK allocate them (inflating as it parses, it cannot leave a value on disk): a value
// with a VR claiming 4 GB, then fuzz_deflated_claim.dcm (19 KB, 2.4 GB claimed by an element
// whose VR bytes are not a VR). The data set is inflated into a copy first, where DCMTK sees
// that the file ends before a value does (and a broken stream is refused before DCMTK reads).
TEST(DicomNesting, ADeflatedValueLongerThanItsStreamIsRefusedWithoutAllocatingIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  test::TempDir dir;
  const std::string claim = part10("1.2.840.10008.1.2.1") + tag(0x0009, 0x1010) + "OB" +
                            std::string(2, '\0') + le32(0xF0000000) + std::string(64, 'x');
  test::writeFile(dir / "claim.dcm", deflated(claim));
  for (const bool probe : {true, false}) {
    refusedWithoutAllocating(dir / "claim.dcm", probe, "truncated DICOM", dir.path());
    // Its deflate stream breaks after the claim, where DCMTK never got to.
    refusedWithoutAllocating(test::dataDir() / "fuzz_deflated_claim.dcm", probe, "damaged",
                             dir.path());
    // The same with a stray element (FF02,0063) in the meta group before the transfer syntax:
    // DCMTK reads past it and inflates; a meta reader that stopped there took the file as plain.
    refusedWithoutAllocating(test::dataDir() / "fuzz_deflated_stray_meta.dcm", probe, "damaged",
                             dir.path());
  }
  // The inflated copy goes to TMPDIR and is gone once the file is refused, or read.
  const std::filesystem::path scratch = dir / "tmp";
  std::filesystem::create_directory(scratch);
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string saved = tmpdir ? tmpdir : "";
  setenv("TMPDIR", scratch.c_str(), 1);
  EXPECT_THROW(probeImage(dir / "claim.dcm"), InputError);
  EXPECT_NO_THROW(readImage(test::dataDir() / "CT_small_deflated.dcm"));
  if (tmpdir) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_TRUE(std::filesystem::is_empty(scratch));
  // A deflated value as long as it says is read past.
  const std::string fits = part10("1.2.840.10008.1.2.1") + tag(0x0009, 0x1010) + "OB" +
                           std::string(2, '\0') + le32(70u << 20) + std::string(70u << 20, 'x');
  test::writeFile(dir / "fits.dcm", deflated(fits));
  EXPECT_NO_THROW(detail::checkSequenceNesting(dir / "fits.dcm"));
}

// Found by fuzz_image (fuzz_meta_claim.dcm, 10 KB) in the reading of the meta group that decides
// whether a file is deflated: a transfer syntax element whose VR is no VR claims 1.4 GB. DCMTK
// leaves a long value on disk and reads it, at the length it claims, when it is first asked for.
// Every value's claim is checked against the file before anything asks (loadFile itself refuses
// this one as truncated).
TEST(DicomNesting, AValueClaimingMoreThanTheFileIsRefusedBeforeItIsRead) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (const bool probe : {true, false}) {
    refusedWithoutAllocating(test::dataDir() / "fuzz_meta_claim.dcm", probe,
                             "element \\(0002,0010\\) claims 1431655765 bytes, more than the "
                             "10338 the file holds");
    // A text element's claim (0002,0100, UI): asking its length, even, reads its value.
    refusedWithoutAllocating(test::dataDir() / "fuzz_meta_claim_text.dcm", probe,
                             "element \\(0002,0100\\) claims 1280638977 bytes, more than the "
                             "6686 the file holds");
  }
}

// A deflate stream that is not one is refused as damaged; a real deflated slice says it was
// deflated (and reads as the plain one does: RealFilesPassTheWalk).
TEST(DicomNesting, ADamagedDeflateStreamIsRefused) {
  test::TempDir dir;
  std::string damaged = part10("1.2.840.10008.1.2.1.99") + std::string(64, '\xff');
  test::writeFile(dir / "damaged.dcm", damaged);
  try {
    probeImage(dir / "damaged.dcm");
    FAIL() << "read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("deflated data set is damaged"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(probeImage(test::dataDir() / "CT_small_deflated.dcm").transferSyntax,
            "Deflated Explicit VR Little Endian");
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
