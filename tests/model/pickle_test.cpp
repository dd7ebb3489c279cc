// SPDX-License-Identifier: Apache-2.0
#include "core/model/pickle.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "model_test_support.h"

namespace camlabel::model::pickle {
namespace {

using test::le32;
using test::unicode;
const std::string kProto2 = "\x80\x02";

Result parse(const std::string& bytes, Hooks hooks = {}) {
  return unpickle(bytes, hooks);
}

void expectRefused(const std::string& bytes, const std::string& fragment, Hooks hooks = {}) {
  try {
    parse(bytes, hooks);
    FAIL() << "accepted a pickle that should be refused (" << fragment << ")";
  } catch (const PickleError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Pickle, ReadsScalarsAndContainers) {
  // {'a': (1, -2, 300, -70000), 'b': [True, None, 'x'], 'c': 2**40, 'd': 1.5}
  const std::string bytes = kProto2 + "}q\x01(" + unicode("a") + "(K\x01J" + le32(-2) +
                            "M\x2c\x01J" + le32(-70000) + "t" + unicode("b") + "](\x88N" +
                            unicode("x") + "e" + unicode("c") +
                            std::string("\x8a\x06\x00\x00\x00\x00\x00\x01", 8) + unicode("d") +
                            std::string("G\x3f\xf8\x00\x00\x00\x00\x00\x00", 9) + "u.";
  const Result result = parse(bytes);
  EXPECT_EQ(result.consumed, bytes.size());
  const Value& dict = *result.value;
  ASSERT_EQ(dict.kind, Value::Kind::kDict);
  ASSERT_EQ(dict.entries.size(), 4u);
  const Value& tuple = *dict.entries[0].second;
  ASSERT_EQ(tuple.items.size(), 4u);
  EXPECT_EQ(tuple.items[0]->integer, 1);
  EXPECT_EQ(tuple.items[1]->integer, -2);
  EXPECT_EQ(tuple.items[2]->integer, 300);
  EXPECT_EQ(tuple.items[3]->integer, -70000);
  const Value& list = *dict.entries[1].second;
  ASSERT_EQ(list.items.size(), 3u);
  EXPECT_TRUE(list.items[0]->boolean);
  EXPECT_EQ(list.items[1]->kind, Value::Kind::kNone);
  EXPECT_EQ(list.items[2]->text, "x");
  EXPECT_EQ(dict.entries[2].second->integer, std::int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(dict.entries[3].second->real, 1.5);
}

TEST(Pickle, NegativeLong1IsSignExtended) {
  const Result result = parse(kProto2 + std::string("\x8a\x02\x00\xff", 4) + ".");
  EXPECT_EQ(result.value->integer, -256);
}

TEST(Pickle, MemoSharesObjects) {
  // l = []; (l, l) with l memoised, then an item appended through the memo.
  const Result result = parse(kProto2 + "]q\x01h\x01\x86q\x02" + ".");
  ASSERT_EQ(result.value->items.size(), 2u);
  EXPECT_EQ(result.value->items[0].get(), result.value->items[1].get());
}

TEST(Pickle, StopsAtStopAndReportsBytesRead) {
  const Result result = parse(kProto2 + "K\x05." + "trailing bytes");
  EXPECT_EQ(result.consumed, 5u);
  EXPECT_EQ(result.value->integer, 5);
}

TEST(Pickle, RefusesUnknownOpcode) {
  expectRefused(kProto2 + "S'text'\n.", "unsupported pickle opcode 0x53");
}

TEST(Pickle, RefusesTruncatedStreams) {
  expectRefused(kProto2 + std::string("X\xff\xff\x00\x00"
                                      "abc",
                                      8),
                "truncated");
  expectRefused(kProto2 + "K", "truncated");
  expectRefused(kProto2 + "}", "truncated");
}

TEST(Pickle, RefusesGlobalsNotAllowed) {
  expectRefused(kProto2 + "cos\nsystem\n.", "unexpected GLOBAL 'os.system'");
  Hooks hooks;
  hooks.allowGlobal = [](const std::string& module, const std::string&) {
    return module == "collections";
  };
  expectRefused(kProto2 + "cbuiltins\neval\n.", "unexpected GLOBAL 'builtins.eval'", hooks);
  // An allowed global with no reduce hook cannot be called.
  expectRefused(kProto2 + "ccollections\nCounter\n)R.", "unexpected call", hooks);
}

TEST(Pickle, RefusesMalformedStacks) {
  expectRefused(kProto2 + "K\x01K\x02.", "unbalanced");
  expectRefused(kProto2 + "t.", "no MARK");
  expectRefused(kProto2 + "h\x07.", "unknown memo entry 7");
  expectRefused(kProto2 + "]K\x01K\x02s.", "wrong kind");
  expectRefused(kProto2 + "R.", "empty stack");
  expectRefused(kProto2 + "Q.", "empty stack");
  expectRefused("\x80\x09.", "unsupported pickle protocol 9");
  expectRefused(kProto2, "truncated");
}

TEST(Pickle, DeepNestingNeitherOverflowsTheStackNorLeaks) {
  // A million nested 1-tuples: building and destroying them must not recurse per level.
  const std::string bytes = kProto2 + ")" + std::string(1000000, '\x85') + ".";
  std::weak_ptr<Value> watch;
  {
    const Result result = parse(bytes);
    EXPECT_EQ(result.value->kind, Value::Kind::kTuple);
    watch = result.value;
  }
  EXPECT_TRUE(watch.expired());
}

TEST(Pickle, CyclesThroughTheMemoAreNotLeaked) {
  // l = []; l.append(l): a cycle only a crafted pickle makes.
  std::weak_ptr<Value> watch;
  {
    const Result result = parse(kProto2 +
                                "]q\x01h\x01"
                                "a.");
    ASSERT_EQ(result.value->items.size(), 1u);
    EXPECT_EQ(result.value->items[0].get(), result.value.get());
    watch = result.value;
  }
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace camlabel::model::pickle
