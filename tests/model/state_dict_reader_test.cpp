// SPDX-License-Identifier: Apache-2.0
#include "core/model/state_dict_reader.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "model_test_support.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

using model::readStateDict;
using model::StateDict;

using test::le32;
using test::unicode;
std::string bint(std::int32_t v) {
  return "J" + le32(v);
}
std::string ints(const std::vector<std::int32_t>& values) {
  std::string s = "(";
  for (auto v : values)
    s += bint(v);
  return s + "t";
}

struct TensorRecord {
  std::string name;
  std::string storageType = "FloatStorage";
  std::string key = "0";
  std::int32_t numel = 6;
  std::int32_t offset = 0;
  std::vector<std::int32_t> sizes{2, 3};
  std::vector<std::int32_t> strides{3, 1};
};

// The pickle torch.save writes for an OrderedDict of tensors, built by hand so that each field
// can be made wrong. `extraGlobal` adds an entry that calls that global instead of a tensor.
std::string statePickle(const std::vector<TensorRecord>& tensors,
                        const std::string& extraGlobal = "") {
  std::string p =
      "\x80\x02"
      "ccollections\nOrderedDict\n)R(";
  for (const auto& t : tensors) {
    p += unicode(t.name) + "ctorch._utils\n_rebuild_tensor_v2\n(";
    p += "(" + unicode("storage") + "ctorch\n" + t.storageType + "\n" + unicode(t.key) +
         unicode("cpu") + bint(t.numel) + "tQ";
    p += bint(t.offset) + ints(t.sizes) + ints(t.strides) +
         "\x89"
         "ccollections\nOrderedDict\n)Rt" +
         "R";
  }
  if (!extraGlobal.empty()) p += unicode("extra") + "c" + extraGlobal + "\n)R";
  return p + "u.";
}

std::string floats(const std::vector<float>& values) {
  std::string s(values.size() * sizeof(float), '\0');
  std::memcpy(s.data(), values.data(), s.size());
  return s;
}

void expectInputError(const std::filesystem::path& path, const std::string& fragment) {
  try {
    readStateDict(path);
    FAIL() << "read a bad file without error: " << path;
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path.string());
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find(fragment), std::string::npos) << e.what();
  }
}

void expectSame(const StateDict& a, const StateDict& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_EQ(a[i].second.scalar_type(), b[i].second.scalar_type()) << a[i].first;
    EXPECT_TRUE(at::equal(a[i].second, b[i].second)) << a[i].first;
  }
}

TEST(StateDictReader, ZipFileHasTorchvisionNamesShapesAndDtypes) {
  const StateDict dict = readStateDict(modelData("tiny_resnet.pt"));
  const auto& entries = tinyReference()["entries"];
  ASSERT_EQ(dict.size(), entries.size());
  for (std::size_t i = 0; i < dict.size(); ++i) {
    EXPECT_EQ(dict[i].first, entries[i]["name"].get<std::string>());
    EXPECT_EQ(dict[i].second.sizes().vec(), entries[i]["shape"].get<std::vector<std::int64_t>>());
    const bool isLong = entries[i]["dtype"] == "int64";
    EXPECT_EQ(dict[i].second.scalar_type(), isLong ? at::kLong : at::kFloat) << dict[i].first;
  }
  // The fixture script sets every batch norm's counter to 7; a 0-d long tensor.
  EXPECT_EQ(dict[3].first, "bn1.running_mean");
  EXPECT_EQ(dict[5].first, "bn1.num_batches_tracked");
  EXPECT_EQ(dict[5].second.dim(), 0);
  EXPECT_EQ(dict[5].second.item<std::int64_t>(), 7);
}

TEST(StateDictReader, LegacyFileReadsTheSameTensors) {
  expectSame(readStateDict(modelData("tiny_resnet.pt")),
             readStateDict(modelData("tiny_resnet_legacy.pt")));
}

at::Tensor entry(const StateDict& dict, const std::string& name) {
  for (const auto& [n, t] : dict) {
    if (n == name) return t;
  }
  throw std::runtime_error("no entry " + name);
}

class MixedFile : public ::testing::TestWithParam<const char*> {};

// mixed*.pt hold what torch.save writes for parameters, other dtypes and views of one storage.
TEST_P(MixedFile, ReadsParametersDtypesAndViewsAsPythonSavedThem) {
  const StateDict dict = readStateDict(modelData(GetParam()));
  std::vector<std::string> names;
  for (const auto& [name, tensor] : dict)
    names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"param", "half", "base", "transposed", "row", "flags",
                                             "empty", "long"}));
  EXPECT_TRUE(at::equal(entry(dict, "param"), at::arange(6, at::kFloat).reshape({2, 3})));
  EXPECT_EQ(entry(dict, "half").scalar_type(), at::kHalf);
  EXPECT_TRUE(at::equal(entry(dict, "half").to(at::kFloat), at::arange(5, at::kFloat) * 0.5));
  const at::Tensor base = entry(dict, "base");
  const at::Tensor transposed = entry(dict, "transposed");
  EXPECT_EQ(transposed.strides().vec(), (std::vector<std::int64_t>{1, 4}));
  EXPECT_TRUE(at::equal(transposed, base.t()));
  EXPECT_TRUE(transposed.is_alias_of(base));
  const at::Tensor row = entry(dict, "row");
  EXPECT_EQ(row.storage_offset(), 4);
  EXPECT_TRUE(at::equal(row, at::arange(4, 8, at::kFloat)));
  EXPECT_EQ(entry(dict, "flags").scalar_type(), at::kBool);
  EXPECT_EQ(entry(dict, "flags").sum().item<std::int64_t>(), 2);
  EXPECT_EQ(entry(dict, "empty").sizes().vec(), (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(entry(dict, "long").scalar_type(), at::kLong);
  EXPECT_EQ(entry(dict, "long")[0].item<std::int64_t>(), -5);
  EXPECT_EQ(entry(dict, "long")[1].item<std::int64_t>(), std::int64_t{1} << 40);
}

INSTANTIATE_TEST_SUITE_P(BothFileFormats, MixedFile,
                         ::testing::Values("mixed.pt", "mixed_legacy.pt"), [](const auto& param) {
                           return std::string(param.param) == "mixed.pt" ? "Zip" : "Legacy";
                         });

// Corrupt bytes anywhere must give a clean InputError (or, where they hit only a name or a
// value, a readable file), never a crash or another exception type.
TEST(StateDictReader, SurvivesRandomCorruption) {
  TempDir dir;
  std::mt19937 random(7);
  for (const char* name : {"mixed.pt", "mixed_legacy.pt"}) {
    const std::string original = readFile(modelData(name));
    std::uniform_int_distribution<std::size_t> position(0, original.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int trial = 0; trial < 300; ++trial) {
      std::string bytes = original;
      for (int flips = 0; flips < 1 + trial % 4; ++flips) {
        bytes[position(random)] = static_cast<char>(byte(random));
      }
      writeFile(dir / "corrupt.pt", bytes);
      try {
        readStateDict(dir / "corrupt.pt");
      } catch (const InputError&) {
      } catch (const std::exception& e) {
        ADD_FAILURE() << name << " trial " << trial << ": " << e.what();
      }
    }
  }
}

TEST(StateDictReader, KeepsStridesOffsetsAndSharedStorage) {
  TempDir dir;
  // A transposed 2x3 view at offset 1 and a 1-d view of the same storage.
  TensorRecord transposed{"t", "FloatStorage", "0", 7, 1, {2, 3}, {1, 2}};
  TensorRecord column{"c", "FloatStorage", "0", 7, 2, {3}, {2}};
  writeTorchZip(dir / "views.pt", statePickle({transposed, column}),
                {{"0", floats({0, 1, 2, 3, 4, 5, 6})}});
  const StateDict dict = readStateDict(dir / "views.pt");
  ASSERT_EQ(dict.size(), 2u);
  const at::Tensor& t = dict[0].second;
  EXPECT_EQ(t.sizes().vec(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(t.strides().vec(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(t.storage_offset(), 1);
  EXPECT_FLOAT_EQ(t[0][0].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(t[1][0].item<float>(), 2.0f);
  EXPECT_FLOAT_EQ(t[0][2].item<float>(), 5.0f);
  EXPECT_TRUE(dict[1].second.is_alias_of(t));
  EXPECT_FLOAT_EQ(dict[1].second[2].item<float>(), 6.0f);
}

TEST(StateDictReader, ReadsOtherStorageTypes) {
  TempDir dir;
  TensorRecord d{"d", "DoubleStorage", "0", 2, 0, {2}, {1}};
  TensorRecord b{"b", "ByteStorage", "1", 3, 0, {3}, {1}};
  std::string doubles(16, '\0');
  const double values[2] = {0.25, -8.0};
  std::memcpy(doubles.data(), values, 16);
  writeTorchZip(dir / "types.pt", statePickle({d, b}), {{"0", doubles}, {"1", "\x01\x02\x03"}});
  const StateDict dict = readStateDict(dir / "types.pt");
  EXPECT_EQ(dict[0].second.scalar_type(), at::kDouble);
  EXPECT_DOUBLE_EQ(dict[0].second[1].item<double>(), -8.0);
  EXPECT_EQ(dict[1].second.scalar_type(), at::kByte);
  EXPECT_EQ(dict[1].second[2].item<std::uint8_t>(), 3);
}

TEST(StateDictReader, RefusesTensorPastItsStorage) {
  TempDir dir;
  TensorRecord shifted{"w"};
  shifted.offset = 1;  // 2x3 contiguous from offset 1 needs 7 elements of 6
  writeTorchZip(dir / "past.pt", statePickle({shifted}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "past.pt", "past the end of its storage");

  TensorRecord strided{"w"};
  strided.strides = {4, 1};
  writeTorchZip(dir / "stride.pt", statePickle({strided}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "stride.pt", "past the end of its storage");

  TensorRecord huge{"w"};
  huge.sizes = {1 << 30, 1 << 30};
  huge.strides = {1 << 30, 1};
  writeTorchZip(dir / "huge.pt", statePickle({huge}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "huge.pt", "past the end of its storage");

  TensorRecord negative{"w"};
  negative.sizes = {-2, 3};
  writeTorchZip(dir / "negative.pt", statePickle({negative}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "negative.pt", "negative size");
}

TEST(StateDictReader, RefusesStorageLargerThanItsData) {
  TempDir dir;
  TensorRecord t{"w"};
  t.numel = 100;  // the record holds 6 floats
  writeTorchZip(dir / "short.pt", statePickle({t}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "short.pt", "shorter than its size");

  t.numel = 1 << 30;  // more than the whole file
  writeTorchZip(dir / "claim.pt", statePickle({t}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "claim.pt", "more than the file holds");

  writeTorchZip(dir / "missing.pt", statePickle({TensorRecord{"w"}}), {});
  expectInputError(dir / "missing.pt", "lacks the data of storage '0'");
}

// The fuzzer's finding (CI, stop 27): an archive whose directory says data.pkl uncompresses to
// 4 GB. LibTorch's reader allocated that much before reading a byte; the claim must be refused.
TEST(StateDictReader, RefusesARecordClaimingMoreThanTheFile) {
  TempDir dir;
  writeTorchZip(dir / "plain.pt", statePickle({TensorRecord{"w"}}),
                {{"0", floats({0, 1, 2, 3, 4, 5})}});
  const std::string plain = readFile(dir / "plain.pt");
  // The central directory entry (signature PK\1\2) naming .../data.pkl: its uncompressed size is
  // the 32-bit field 24 bytes in, the name 46 bytes in.
  std::size_t entry = std::string::npos;
  for (auto at = plain.find("PK\x01\x02"); at != std::string::npos;
       at = plain.find("PK\x01\x02", at + 4)) {
    if (plain.compare(at + 46, 14, "plain/data.pkl") == 0) entry = at;
  }
  ASSERT_NE(entry, std::string::npos);
  for (const std::uint32_t claim : {0xFFFFFFFFu, 0x7FFFFFFFu}) {
    std::string bytes = plain;
    std::memcpy(bytes.data() + entry + 24, &claim, 4);
    writeFile(dir / "claim.pt", bytes);
    try {
      readStateDict(dir / "claim.pt");
      ADD_FAILURE() << "read a directory claiming " << claim << " bytes";
    } catch (const InputError& e) {
      const std::string reason = e.reason();
      EXPECT_TRUE(reason.find("data.pkl") != std::string::npos ||
                  reason.find("zip directory is damaged") != std::string::npos)
          << e.what();
    }
  }
  // A stored record one byte longer than the file is refused by its size, not by a failed read.
  std::string bytes = plain;
  const auto longer = static_cast<std::uint32_t>(plain.size() + 1);
  std::memcpy(bytes.data() + entry + 20, &longer, 4);
  std::memcpy(bytes.data() + entry + 24, &longer, 4);
  writeFile(dir / "claim.pt", bytes);
  EXPECT_THROW(readStateDict(dir / "claim.pt"), InputError);
  // The untouched archive still reads.
  EXPECT_EQ(readStateDict(dir / "plain.pt").size(), 1u);
}

TEST(StateDictReader, RefusesUnknownGlobals) {
  // Made by the fixture script: an OrderedDict holding a datetime.date.
  expectInputError(modelData("unknown_global.pt"), "unexpected GLOBAL");
  TempDir dir;
  writeTorchZip(dir / "system.pt", statePickle({TensorRecord{"w"}}, "os\nsystem"),
                {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "system.pt", "unexpected GLOBAL 'os.system'");
  TensorRecord odd{"w"};
  odd.storageType = "QInt8Storage";
  writeTorchZip(dir / "qint.pt", statePickle({odd}), {{"0", floats({0, 1, 2, 3, 4, 5})}});
  expectInputError(dir / "qint.pt", "unexpected GLOBAL 'torch.QInt8Storage'");
}

TEST(StateDictReader, RefusesNonTensorEntriesAndNonDicts) {
  TempDir dir;
  const std::string intEntry = "\x80\x02}(" + unicode("w") + "K\x05u.";
  writeTorchZip(dir / "int.pt", intEntry, {});
  expectInputError(dir / "int.pt", "entry 'w' is not a tensor");
  writeTorchZip(dir / "list.pt", "\x80\x02].", {});
  expectInputError(dir / "list.pt", "no state_dict");
  writeTorchZip(dir / "opcode.pt", "\x80\x02S'x'\n.", {});
  expectInputError(dir / "opcode.pt", "unsupported pickle opcode 0x53");
}

TEST(StateDictReader, RefusesTruncatedZipAtEveryCut) {
  const std::string bytes = readFile(modelData("tiny_resnet.pt"));
  TempDir dir;
  for (std::size_t cut : {std::size_t{4}, std::size_t{100}, bytes.size() / 3, bytes.size() / 2,
                          bytes.size() - 100, bytes.size() - 1}) {
    writeFile(dir / "cut.pt", bytes.substr(0, cut));
    EXPECT_THROW(readStateDict(dir / "cut.pt"), InputError) << "cut at " << cut;
  }
}

TEST(StateDictReader, RefusesTruncatedLegacyFileAtEveryCut) {
  const std::string bytes = readFile(modelData("tiny_resnet_legacy.pt"));
  TempDir dir;
  // Cuts inside each header pickle, the main pickle, the key list and the storage data.
  for (std::size_t cut = 2; cut < bytes.size(); cut += (cut < 4000 ? 97 : 20011)) {
    writeFile(dir / "cut.pt", bytes.substr(0, cut));
    EXPECT_THROW(readStateDict(dir / "cut.pt"), InputError) << "cut at " << cut;
  }
  writeFile(dir / "cut.pt", bytes.substr(0, bytes.size() - 1));
  expectInputError(dir / "cut.pt", "truncated");
}

TEST(StateDictReader, RefusesForeignFiles) {
  TempDir dir;
  writeFile(dir / "notes.txt", "These are not weights.\nJust text.\n");
  expectInputError(dir / "notes.txt", "not a PyTorch weights file");
  writeFile(dir / "image.png",
            std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29));
  expectInputError(dir / "image.png", "not a PyTorch weights file");
  writeFile(dir / "empty.pt", "");
  expectInputError(dir / "empty.pt", "too short");
  writeFile(dir / "zip.pt", std::string("PK\x03\x04", 4) + std::string(200, 'z'));
  expectInputError(dir / "zip.pt", "not a valid PyTorch archive");
  writeFile(dir / "pickle.pt", "\x80\x02K\x05.");
  expectInputError(dir / "pickle.pt", "wrong magic number");
  expectInputError(dir / "absent.pt", "no such file");
  expectInputError(dir.path(), "no such file");
}

}  // namespace
}  // namespace camlabel::test
