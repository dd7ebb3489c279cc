// SPDX-License-Identifier: Apache-2.0
// SHA-256 against published test vectors (FIPS 180-2 examples), in one piece, in pieces and
// from a file.

#include "core/common/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace camlabel {
namespace {

constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kTwoBlocks[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kTwoBlocksText[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256, MatchesTheStandardsExamplesWholeInPiecesAndFromAFile) {
  EXPECT_EQ(sha256Hex("abc"), kAbc);
  EXPECT_EQ(sha256Hex(kTwoBlocksText), kTwoBlocks);
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  Sha256 pieces;
  const std::string text = kTwoBlocksText;
  for (std::size_t i = 0; i < text.size(); i += 5)
    pieces.update(text.data() + i, std::min<std::size_t>(5, text.size() - i));
  EXPECT_EQ(pieces.hexDigest(), kTwoBlocks);

  test::TempDir dir;
  test::writeFile(dir / "abc.txt", "abc");
  EXPECT_EQ(sha256File(dir / "abc.txt"), kAbc);
}

}  // namespace
}  // namespace camlabel
